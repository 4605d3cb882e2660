// What a person is told about the agencies an offer names, from the imported list: on it (its name,
// licence number, validity, registered address, the list's date) or not on the list of that date
// (check on SISKOP2MI), a licence number that belongs to another company, a licence that ran out, a
// name much like one on the list. Texts in locales/<lang>/agencies.json.
import type { Lang, Say } from '../engine/types.js';
import type { Agency, AgencyCheck, FoundAgency } from './registry.js';

/** The keys this module shows, for the content checks (every key used, every key in every locale). */
export const AGENCY_SAY_KEYS = ['agencies.*'] as const;

/** The contact where a person checks an agency themselves (data/contacts.yaml). */
export const AGENCY_CHECK_CONTACT = 'kp2mi_siskop2mi';

const formats = new Map<string, Intl.DateTimeFormat>();
/** "2026-11-25" → "25 November 2026". */
export function listDay(date: string, lang: Lang): string {
  let f = formats.get(lang);
  if (!f) formats.set(lang, (f = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })));
  return f.format(Date.parse(`${date}T00:00:00Z`));
}

export interface AgencySay {
  say: Say[];
  /** Something the offer names is not on the list (or its licence is someone else's): worth checking on SISKOP2MI. */
  unlisted: boolean;
}

/**
 * The lines for an offer's agencies. `t` gives a text in the person's language (for the parts of a
 * line: licence, validity, address).
 */
export function agencySay(check: AgencyCheck, lang: Lang, t: (key: string, vars?: Record<string, unknown>) => string): AgencySay {
  const date = listDay(check.listDate, lang);
  const say: Say[] = [];
  const shown = new Set<Agency>();
  const handled = new Set<string>();
  let unlisted = false;
  let listed = false;

  const onList = (a: FoundAgency) => {
    if (shown.has(a)) return;
    shown.add(a);
    listed = true;
    const details = [
      t('agencies.licence', { licence: a.licence }),
      ...(a.validUntil && !a.expired ? [t('agencies.valid_until', { until: listDay(a.validUntil, lang) })] : []),
      ...(a.address ? [t('agencies.address', { address: a.address })] : []),
    ].join(' ');
    say.push({ key: 'agencies.on_list', vars: { name: a.name, date, details } });
    if (a.expired && a.validUntil) say.push({ key: 'agencies.expired', vars: { name: a.name, until: listDay(a.validUntil, lang) } });
  };

  for (const { written, result } of check.licences) {
    if (!result.found) {
      unlisted = true;
      say.push({ key: 'agencies.licence_not_on_list', vars: { licence: written, date } });
      continue;
    }
    onList(result.agency);
    // The offer's company names beside that licence: each must be the licence's own company.
    for (const n of check.names) {
      if (handled.has(n.written)) continue;
      handled.add(n.written);
      if (n.result.found && n.result.agency.licence === result.agency.licence) {
        if (!n.result.exact) say.push({ key: 'agencies.close_name', vars: { written: n.written, name: result.agency.name } });
      } else {
        unlisted = true;
        say.push({ key: 'agencies.licence_other_name', vars: { licence: written, name: result.agency.name, written: n.written } });
      }
    }
  }
  for (const { written, result } of check.names) {
    if (handled.has(written)) continue;
    if (result.found) {
      onList(result.agency);
      if (!result.exact) {
        // A name close to a listed one is how a fake borrows a real company's standing: not reassuring.
        unlisted = true;
        say.push({ key: 'agencies.close_name', vars: { written, name: result.agency.name } });
      }
    } else {
      unlisted = true;
      say.push({ key: 'agencies.not_on_list', vars: { name: written, date } });
      if (result.nearest) say.push({ key: 'agencies.nearest', vars: { name: result.nearest.name } });
    }
  }
  if (listed) say.push({ key: 'agencies.borrowed_name' });
  return { say, unlisted };
}
