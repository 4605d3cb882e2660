/**
 * Advice the checker gives, in order of priority, and when each is given. A red flag calls for
 * advice through its detector's registry entry (`advice` in lexicon.ts and detect.ts); the rules
 * below place that advice in the verdict, and add what depends on the whole verdict (abroad or at
 * home, the risk, the notes). Human texts: locales/<lang>/checker.json, key `advice.<id>`.
 */
import { UNCLEAR_NOTES } from './heading.js';
import type { Risk } from './index.js';

/** What the conditions of the rules below may look at. */
export interface AdviceContext {
  notes: readonly string[];
  abroad: boolean;
  /** The job is in Indonesia (the offer names a place there and none abroad). */
  home: boolean;
  isOffer: boolean;
  risk: Risk;
  /** Some red flag was raised. */
  warned: boolean;
  /** Some lawful signal was found. */
  lawful: boolean;
  /** The offer names a government-run placement scheme (schemes.ts ANNOUNCING): where it announces is shown below. */
  scheme?: boolean;
}

/**
 * Given when `when` holds; without `when`, when a raised red flag calls for it. `called` tells
 * whether one does. An id may stand twice: for a flag early, for the whole verdict later.
 */
interface AdviceRule<Id extends string = string> {
  id: Id;
  when?: (c: AdviceContext, called: boolean) => boolean;
}

export const ADVICE_RULES = [
  {
    id: 'send_offer_text',
    when: ({ notes: n, warned }) => n.includes('empty') || n.includes('image_only') || n.includes('only_link') || n.includes('only_phone') || (n.includes('too_short') && !warned),
  },
  { id: 'never_hand_passport' },
  { id: 'never_send_body_video' },
  { id: 'no_tourist_visa_work' },
  { id: 'moratorium_domestic' },
  { id: 'scam_compound_warning' },
  { id: 'no_irregular_route' },
  { id: 'contract_before_departure' },
  { id: 'keep_family_informed' },
  { id: 'fishing_crew_rights' },
  { id: 'entertainment_risk' },
  { id: 'no_placement_fee', when: (c, called) => called && c.abroad },
  { id: 'no_pay_to_apply', when: (c, called) => called && !c.abroad },
  { id: 'too_good_pay' },
  { id: 'task_scam_warning' },
  { id: 'job_letter_warning' },
  { id: 'check_official_site' },
  { id: 'no_share_to_apply' },
  { id: 'no_aid_by_chat' },
  { id: 'no_recruiting_for_commission' },
  // A named government-run scheme (G to G, IM Japan): its real openings are announced on its own site.
  { id: 'verify_scheme', when: (c) => Boolean(c.scheme) },
  { id: 'check_agency_licence', when: (c) => c.abroad },
  { id: 'use_official_channels', when: (c) => c.abroad && (c.risk !== 'low' || !c.lawful) },
  { id: 'contract_before_departure', when: (c) => c.abroad && c.risk !== 'high' },
  { id: 'never_hand_passport', when: (c) => c.abroad && c.risk !== 'low' },
  { id: 'take_your_time' },
  { id: 'verify_company', when: (c, called) => !c.abroad && c.isOffer && (c.risk !== 'low' || called || c.warned) },
  // Where to report: a job in Indonesia to the police and the local manpower office (Disnaker); work
  // abroad, or where the offer does not say, to the migrant-worker ministry's complaints (shown below).
  { id: 'report_suspicious', when: (c) => c.risk === 'high' && !c.home },
  { id: 'report_home', when: (c) => c.risk === 'high' && c.home },
  // "No clear warning signs" only where none was found, and of a text long enough to judge.
  { id: 'still_verify', when: (c) => c.risk === 'low' && c.isOffer && !c.warned && !c.notes.some((n) => UNCLEAR_NOTES.has(n)) },
] as const satisfies readonly AdviceRule[];

export type AdviceId = (typeof ADVICE_RULES)[number]['id'];

/** Every advice id, each once. */
export const ADVICE_IDS: readonly AdviceId[] = [...new Set(ADVICE_RULES.map((r) => r.id))];

/** Advice shown at most. */
export const MAX_ADVICE = 6;

/** The advice for a verdict, most important first; `called` is the advice its red flags call for. */
export function adviceFor(c: AdviceContext, called: ReadonlySet<string>): AdviceId[] {
  const out: AdviceId[] = [];
  const rules: readonly AdviceRule<AdviceId>[] = ADVICE_RULES;
  for (const rule of rules) {
    const given = rule.when ? rule.when(c, called.has(rule.id)) : called.has(rule.id);
    if (given && !out.includes(rule.id)) out.push(rule.id);
  }
  const kept = out.slice(0, MAX_ADVICE);
  // a high-risk verdict always says where to report
  const report = c.home ? 'report_home' : 'report_suspicious';
  if (c.risk === 'high' && !kept.includes(report)) kept[kept.length - 1] = report;
  return kept;
}
