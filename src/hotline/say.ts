// How a case is shown to the family in the chat: plain-word stage, the kind of office it was referred
// to, the latest note staff chose to share. Never internal notes, never staff names.
import type { Say } from '../engine/types.js';
import type { Partner } from './partners.js';
import type { Case } from './types.js';

/** The keys this module shows, for the content checks (every key used, every key in every locale). */
// hotline.push.*: the status messages staff changes send (src/hotline/service.ts).
export const CASE_SAY_KEYS = ['hotline.status.case', 'hotline.stage.*', 'hotline.partner_kind.*', 'hotline.status.note', 'hotline.push.*'] as const;

const dates = new Map<string, Intl.DateTimeFormat>();
/** "30 November 2026" (Indonesian) or "30 November 2026" (English), in Western Indonesia's time. */
export function day(at: number, lang: string): string {
  let f = dates.get(lang);
  if (!f) dates.set(lang, (f = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' })));
  return f.format(at);
}

export function caseSay(c: Case, partners: ReadonlyMap<string, Partner>): Say[] {
  const say: Say[] = [{ key: 'hotline.status.case', vars: { id: c.id, opened: day(c.openedAt, c.lang) } }, { key: `hotline.stage.${c.stage}` }];
  const partner = c.partner ? partners.get(c.partner) : undefined;
  if (c.stage === 'referred' && partner) say.push({ key: `hotline.partner_kind.${partner.kind}` });
  const shared = [...c.notes].reverse().find((n) => n.family);
  if (shared) say.push({ key: 'hotline.status.note', vars: { note: shared.text } });
  return say;
}
