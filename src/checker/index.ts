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
import { ANNOUNCING } from './schemes.js';
import { ADVICE_IDS, adviceFor } from './advice.js';
import { jobInIndonesia } from './heading.js';
import { analyse, CONTEXT_DETECTORS, quote, type Analysis, type Facts, type Flag } from './detect.js';
import { RULES, type Detector } from './lexicon.js';
import { loadModel, nbLogOddsOf, sigmoid, type LoadedModel } from './model.js';

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
  /** With 'truncated': how much of the text was read (characters), of how much. */
  read?: { chars: number; of: number };
}

/** The model's own flag: the wording is like known scams (evidence: sentences with its strongest words). */
export const MODEL_DETECTOR: Detector = { id: 'similar_to_scams', advice: [] };

/** Every detector: the lexicon's rules, the context detectors, the model. */
export const DETECTORS: readonly Detector[] = [...RULES, ...CONTEXT_DETECTORS, MODEL_DETECTOR];
export const FLAG_IDS: readonly string[] = DETECTORS.map((d) => d.id);
const ADVICE_BY_FLAG = new Map(DETECTORS.map((d) => [d.id, d.advice]));
export { ADVICE_IDS };

export const NOTE_IDS = [
  'empty', 'too_short', 'truncated', 'not_an_offer', 'only_link', 'only_phone', 'image_only', 'unsupported_language',
] as const;

const DEFAULT_CAL = { bias: -2.2, wRisk: 1.0, wLawful: 0.8, wNb: 0.25 };
const DEFAULT_THRESHOLDS = { medium: 0.35, high: 0.7 };
/** "high" needs red flags from the rules worth at least this much (one substantive flag) */
const HIGH_NEEDS_RULES = 1.5;
/** classifier log-odds above which wording alone makes an offer "medium" */
const NB_ALONE_MEDIUM = 6;
/** A flag at least this heavy is a red flag: a verdict that quotes one is never "low". */
export const RED_FLAG_WEIGHT = 1.2;
/**
 * Detectors whose finding at this strength is enough for "high" on its own: each rests on several
 * signs together (families.ts), so the wording model, trained on offers written for this project,
 * does not talk it down.
 */
const DECISIVE: Readonly<Record<string, number>> = { task_scam: 2.5, fake_institution: 2.5, mass_recruitment_abroad: 2.5, fake_job_letter: 2.5, body_exposure: 2.5, aid_by_chat: 3.0 };

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
    if (f.id === MODEL_DETECTOR.id) continue;
    if (f.weight > 0) risk += f.weight;
    else lawful += f.weight;
  }
  return { risk, lawful, nb: nbLo };
}

/** The advice for a verdict: what its red flags call for (their detectors' entries), placed by advice.ts. */
function verdictAdvice(a: Analysis, flags: Flag[], risk: Risk): string[] {
  const red = flags.filter((f) => f.weight > 0);
  const called = new Set(red.flatMap((f) => ADVICE_BY_FLAG.get(f.id) ?? []));
  return adviceFor({ notes: a.notes, abroad: a.abroad, home: jobInIndonesia(a.facts), isOffer: a.isOffer, risk, warned: red.length > 0, lawful: flags.some((f) => f.weight < 0), scheme: Boolean(a.facts.schemes?.some((x) => ANNOUNCING.has(x))) }, called);
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
    const r = nbLogOddsOf(model.nb, a.head, a.words);
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
  // only when the classifier is confident; otherwise it stays low. (Tried and undone: letting it never
  // raise the level cut false alarms on real ads and SMS by about a point, but informal lures with no
  // rule sign, "ada kerjaan di Malaysia, gaji besar, berangkat cepat, semua diurus", fell to low. Also
  // tried and undone, 2 Dec: only in messages of at most 60 words, since the sum grows with length; it
  // cut false alarms on long English ads, and a long real scam with no rule sign fell to low. Also
  // tried and undone, 2 Dec: not when the offer names an official route (SISKOP2MI, Disnaker, BLK, a
  // licensed agency); an official's "just open SISKOP2MI" fell to low, but so did "kerja di Jepang,
  // info di Disnaker, gaji 40 juta, semua diurus": lures claim those routes as freely as "no fee".)
  if (inp.risk === 0) {
    score = nbLo >= NB_ALONE_MEDIUM ? Math.min(score, th.high - 0.01) : Math.min(score, th.medium * 0.9);
  }

  // the model's own evidence when it leans strongly to "scam"
  const flags = [...a.flags];
  const modelContribution = cal.wNb * nbLo;
  if (modelContribution > 1.0 && !weak) {
    const ev = modelEvidence(a, top);
    if (ev.length > 0) flags.push({ id: MODEL_DETECTOR.id, weight: Math.round(modelContribution * 100) / 100, evidence: ev });
  }

  let risk: Risk = score >= th.high ? 'high' : score >= th.medium ? 'medium' : 'low';
  // every high-risk verdict quotes the offer, and rests on at least one rule (not on wording alone)
  if (risk === 'high' && (inp.risk < HIGH_NEEDS_RULES || !flags.some((f) => f.weight > 0 && f.id !== MODEL_DETECTOR.id && f.evidence.length > 0))) {
    risk = 'medium';
    score = Math.min(score, th.high - 0.01);
  }
  // (not against a strong lawful sign: a regional office's G-to-G post may link through a short link)
  const stronglyLawful = flags.some((f) => f.weight <= -1.5);
  if (risk !== 'high' && !stronglyLawful && flags.some((f) => DECISIVE[f.id] !== undefined && f.weight >= DECISIVE[f.id]! && f.evidence.length > 0)) {
    risk = 'high';
    score = Math.max(score, th.high);
  }
  // Never green above its own red flag: a substantive warning sign the rules quoted makes the
  // verdict at least "medium" (weak signs alone, such as "no experience needed", do not).
  if (risk === 'low' && flags.some((f) => f.weight >= RED_FLAG_WEIGHT && f.id !== MODEL_DETECTOR.id && f.evidence.length > 0)) {
    risk = 'medium';
    score = Math.max(score, th.medium);
  }
  flags.sort((x, y) => y.weight - x.weight);
  return {
    risk,
    score: Math.round(score * 1000) / 1000,
    flags,
    facts: a.facts,
    advice: verdictAdvice(a, flags, risk),
    notes: a.notes,
    ...(a.notes.includes('truncated') ? { read: { chars: a.original.length, of: typeof text === 'string' ? text.length : a.original.length } } : {}),
  };
}
