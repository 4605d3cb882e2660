/**
 * Job-offer checker: normalise → red-flag rules → naive Bayes classifier → calibrated score →
 * explanation (flags with quoted evidence, facts, advice ids).
 *
 * Pure: no I/O at check time. The model (src/checker/model.json) and reference data
 * (data/wages.yaml) are read once when this module loads.
 *
 * Flags: red flags have weight > 0; lawful signals (ids starting with "lawful_") have weight < 0
 * and lower the risk. Human texts for every flag, advice and note id live in
 * locales/<lang>/checker.json.
 */
import { analyse, quote, type Analysis, type Facts, type Flag } from './detect.js';
import { loadModel, nbLogOdds, sigmoid, type LoadedModel } from './model.js';

export type Risk = 'low' | 'medium' | 'high';
export type { Facts, Flag } from './detect.js';

export interface Verdict {
  risk: Risk;
  score: number;
  flags: Flag[];
  facts: Facts;
  /** advice ids, most important first */
  advice: string[];
  /** e.g. 'truncated', 'empty', 'too_short', 'not_an_offer', 'only_link', 'only_phone', 'image_only', 'unsupported_language' */
  notes: string[];
}

export const FLAG_IDS = [
  'tourist_visa', 'document_retention', 'secrecy', 'domestic_moratorium', 'irregular_route',
  'pay_unrealistic', 'entertainment_abroad', 'fishing_debt', 'scam_job_type', 'risky_destination',
  'upfront_fee', 'salary_deduction', 'fee_for_zero_cost_job', 'recruit_commission', 'no_experience',
  'urgency', 'personal_contact_only', 'unofficial_channel', 'vague_destination', 'similar_to_scams',
  'lawful_licensed_agency', 'lawful_job_order', 'lawful_written_contract', 'lawful_g2g',
  'lawful_official_training', 'lawful_work_permit', 'lawful_no_fee',
] as const;

export const ADVICE_IDS = [
  'send_offer_text', 'report_suspicious', 'never_hand_passport', 'no_tourist_visa_work', 'no_placement_fee',
  'no_pay_to_apply', 'moratorium_domestic', 'scam_compound_warning', 'no_irregular_route', 'keep_family_informed',
  'entertainment_risk', 'fishing_crew_rights', 'too_good_pay', 'no_recruiting_for_commission', 'check_agency_licence',
  'use_official_channels', 'contract_before_departure', 'verify_company', 'take_your_time', 'still_verify',
] as const;

export const NOTE_IDS = [
  'empty', 'too_short', 'truncated', 'not_an_offer', 'only_link', 'only_phone', 'image_only', 'unsupported_language',
] as const;

const DEFAULT_CAL = { bias: -2.2, wRisk: 1.0, wLawful: 0.8, wNb: 0.25 };
const DEFAULT_THRESHOLDS = { medium: 0.35, high: 0.7 };
/** classifier log-odds above which wording alone makes an offer "medium" */
const NB_ALONE_MEDIUM = 6;
/** "high" needs red flags from the rules worth at least this much (one substantive flag) */
const HIGH_NEEDS_RULES = 1.5;

let model: LoadedModel | undefined;
try {
  model = loadModel();
} catch {
  model = undefined; // the rules still work without the model; tests check the model loads
}

/** Whether the serialised statistical model was loaded. */
export const modelLoaded = (): boolean => model !== undefined;
export const thresholds = (): { medium: number; high: number } => model?.file.thresholds ?? DEFAULT_THRESHOLDS;

/** Inputs of the logistic layer, shared with the training script. */
export function scoreInputs(a: Analysis, nbLo: number): { risk: number; lawful: number; nb: number } {
  let risk = 0;
  let lawful = 0;
  for (const f of a.flags) {
    if (f.id === 'similar_to_scams') continue;
    if (f.weight > 0) risk += f.weight;
    else lawful += f.weight;
  }
  return { risk, lawful, nb: nbLo };
}

function adviceFor(a: Analysis, risk: Risk): string[] {
  const ids = new Set(a.flags.filter((f) => f.weight > 0).map((f) => f.id));
  const lawful = a.flags.some((f) => f.weight < 0);
  const out: string[] = [];
  const push = (id: string, cond = true) => {
    if (cond && !out.includes(id)) out.push(id);
  };
  const n = a.notes;
  push('send_offer_text', n.includes('empty') || n.includes('image_only') || n.includes('only_link') || n.includes('only_phone') || (n.includes('too_short') && ids.size === 0));
  push('never_hand_passport', ids.has('document_retention'));
  push('no_tourist_visa_work', ids.has('tourist_visa'));
  push('moratorium_domestic', ids.has('domestic_moratorium'));
  push('scam_compound_warning', ids.has('risky_destination') || ids.has('scam_job_type'));
  push('no_irregular_route', ids.has('irregular_route'));
  push('keep_family_informed', ids.has('secrecy'));
  push('fishing_crew_rights', ids.has('fishing_debt'));
  push('entertainment_risk', ids.has('entertainment_abroad'));
  const feeish = ids.has('upfront_fee') || ids.has('salary_deduction') || ids.has('fee_for_zero_cost_job');
  push('no_placement_fee', feeish && a.abroad);
  push('no_pay_to_apply', feeish && !a.abroad);
  push('too_good_pay', ids.has('pay_unrealistic'));
  push('no_recruiting_for_commission', ids.has('recruit_commission'));
  push('check_agency_licence', a.abroad);
  push('use_official_channels', a.abroad && (risk !== 'low' || !lawful));
  push('contract_before_departure', a.abroad && risk !== 'high');
  push('never_hand_passport', a.abroad && risk !== 'low');
  push('take_your_time', ids.has('urgency'));
  push('verify_company', !a.abroad && a.isOffer && (risk !== 'low' || ids.has('personal_contact_only')));
  push('report_suspicious', risk === 'high');
  push('still_verify', risk === 'low' && a.isOffer && !n.includes('empty'));
  const kept = out.slice(0, 6);
  // a high-risk verdict always says where to report
  if (risk === 'high' && !kept.includes('report_suspicious')) kept[kept.length - 1] = 'report_suspicious';
  return kept;
}

/** Evidence for the model's judgement: sentences holding its strongest scam-leaning words. */
function modelEvidence(a: Analysis, top: Array<[string, number]>): string[] {
  const out: string[] = [];
  const lower = a.original.toLowerCase();
  for (const [f] of top) {
    if (/^[A-Z]/.test(f)) continue; // flag, place, job features
    const word = f.split('_')[0] ?? f;
    if (!/^[a-z]{4,}$/.test(word)) continue;
    const m = new RegExp(`(?<![a-z])${word}`).exec(lower);
    if (!m) continue;
    const q = quote(a.original, m.index, m.index + word.length);
    if (q && !out.includes(q)) out.push(q);
    if (out.length >= 2) break;
  }
  return out;
}

/** Check one job offer. Never throws; any input gets a verdict. */
export function checkOffer(text: string): Verdict {
  try {
    return check(text);
  } catch {
    return { risk: 'low', score: 0, flags: [], facts: { phones: [], links: [] }, advice: ['send_offer_text'], notes: ['not_an_offer'] };
  }
}

function check(text: string): Verdict {
  const a = analyse(text);
  const cal = model?.file.calibration ?? DEFAULT_CAL;
  const th = thresholds();
  let nbLo = 0;
  let top: Array<[string, number]> = [];
  if (model && a.original.trim().length > 0) {
    const r = nbLogOdds(model.nb, a.features);
    nbLo = r.logOdds;
    top = r.top;
  }
  const inp = scoreInputs(a, nbLo);
  let score = sigmoid(cal.bias + cal.wRisk * inp.risk + cal.wLawful * inp.lawful + cal.wNb * inp.nb);

  // Messages that are not job offers (or too little text to judge) stay below "high" unless the
  // rules themselves are strong; they stay low if the rules found nothing.
  const weak = a.notes.some((x) => x === 'not_an_offer' || x === 'empty' || x === 'too_short' || x === 'only_link' || x === 'only_phone' || x === 'image_only');
  if (weak) {
    if (inp.risk < 2.5) score = Math.min(score, th.medium * 0.9);
    else score = Math.min(score, th.high - 0.01);
  }

  // With no red flag from the rules, the wording alone can make an offer "medium" at most, and
  // only when the classifier is confident; otherwise it stays low.
  if (inp.risk === 0) {
    score = nbLo >= NB_ALONE_MEDIUM ? Math.min(score, th.high - 0.01) : Math.min(score, th.medium * 0.9);
  }

  // the model's own evidence when it leans strongly to "scam"
  const flags = [...a.flags];
  const modelContribution = cal.wNb * nbLo;
  if (modelContribution > 1.0 && !weak) {
    const ev = modelEvidence(a, top);
    if (ev.length > 0) flags.push({ id: 'similar_to_scams', weight: Math.round(modelContribution * 100) / 100, evidence: ev });
  }

  let risk: Risk = score >= th.high ? 'high' : score >= th.medium ? 'medium' : 'low';
  // every high-risk verdict quotes the offer, and rests on at least one rule (not on wording alone)
  if (risk === 'high' && (inp.risk < HIGH_NEEDS_RULES || !flags.some((f) => f.weight > 0 && f.id !== 'similar_to_scams' && f.evidence.length > 0))) {
    risk = 'medium';
    score = Math.min(score, th.high - 0.01);
  }
  flags.sort((x, y) => y.weight - x.weight);
  return {
    risk,
    score: Math.round(score * 1000) / 1000,
    flags,
    facts: a.facts,
    advice: adviceFor({ ...a, flags }, risk),
    notes: a.notes,
  };
}
