/**
 * Official placement schemes an offer may name: the government-to-government programmes the
 * migrant-worker ministry (KP2MI) runs (Korea's EPS with its EPS-TOPIK test, nurses and care workers to
 * Japan and to Germany under Triple Win), the Manpower Ministry's apprenticeship to Japan with IM
 * Japan, and Japan's Specified Skilled Worker status. A verdict on an offer that names one points to
 * where that scheme announces its real openings: the contacts whose `schemes` list it in
 * data/contacts.yaml (each with its source). Naming a scheme proves nothing (fakes borrow the names):
 * the point is where to check. SSW is not run by a government: private placement through a licensed
 * agency (P3MI) is lawful, so its site is shown as where the programme is explained, and the advice to
 * apply only on the official site is for the government-run schemes (ANNOUNCING). Pure.
 */
import { namedInOrder } from './named.js';

export const SCHEME_IDS = ['im_japan', 'ssw_japan', 'g2g'] as const;
export type SchemeId = (typeof SCHEME_IDS)[number];

/** Schemes whose openings are announced only by the government bodies that run them. */
export const ANNOUNCING: ReadonlySet<SchemeId> = new Set(['g2g', 'im_japan']);

/** How each scheme is named, in the checker's normalised text (lower case, single spaces). */
export const SCHEME_NAMES: Readonly<Record<SchemeId, RegExp>> = {
  im_japan: /\bim ?m? japan\b|\binternational manpower development organi[sz]ation\b|\b(?:pe)?magang(?:an)? (?:ke |di )?jepang\b|\bmagangln\b/,
  ssw_japan: /\bspecified skilled workers?\b|\bssw\b|\btokutei ginou\b|\bpekerja berketerampilan khusus\b/,
  g2g: /\bg ?-? ?to ?-? ?g\b|\bg2g\b|\bgovernment[- ]to[- ]government\b|\beps[- ]?topik\b|\beps korea\b|\bprogram eps\b|\bhrd korea\b|\bemployment permit system\b|\btriple win\b|\bkangoshi\b|\bkaigofukushishi\b|\bijepa\b|\bskema penempatan pemerintah\b|\bprogram penempatan pemerintah\b/,
};

/** The schemes a text names, in the order it first names them (at most two); `at` as namedInOrder's. */
export function schemesNamed(t: string, at?: (re: RegExp) => number): SchemeId[] {
  return namedInOrder(t, SCHEME_NAMES, SCHEME_IDS, 2, at);
}
