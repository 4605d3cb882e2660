// Time zones of the places a subscriber names (data/regions.yaml, data/countries.yaml), for sending
// in someone's waking hours. Without data passed in, the files under data/ are read once, when first
// asked (a process that never asks never reads them).
import { join } from 'node:path';
import { loadReferenceData, type ReferenceData } from './data.js';
import { ROOT } from './index.js';

/** Where nothing better is known: Indonesia's western time (WIB), where most Indonesians live. */
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

type Places = Pick<ReferenceData, 'countries' | 'regions'>;

let files: Places | undefined;
const fromFiles = (): Places => (files ??= loadReferenceData(join(ROOT, 'data')));

/** Code → zone, made once per list (lists are loaded once and never changed). */
const indexes = new WeakMap<readonly { code: string; tz: string }[], Map<string, string>>();

function zoneOf(list: readonly { code: string; tz: string }[], code: string): string | undefined {
  let index = indexes.get(list);
  if (!index) indexes.set(list, (index = new Map(list.map((p) => [p.code, p.tz]))));
  return index.get(code.toUpperCase());
}

/** The IANA zone of a province of Indonesia by its ISO 3166-2:ID code ("NB" or "ID-NB"): Asia/Jakarta, Asia/Makassar or Asia/Jayapura. */
export function regionTimeZone(code: string, data: Places = fromFiles()): string | undefined {
  return zoneOf(data.regions, code.replace(/^ID-/i, ''));
}

/** The main IANA zone of a country by its ISO 3166-1 alpha-2 code ("MY": Asia/Kuala_Lumpur). */
export function countryTimeZone(code: string, data: Places = fromFiles()): string | undefined {
  return zoneOf(data.countries, code);
}
