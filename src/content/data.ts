// Reviewed reference data (data/*.yaml): contacts, legal facts, countries, provinces, referral partners. Validated at load.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { loadIndicators, type Indicators } from '../hotline/indicators.js';
import { loadPartners, type Partner } from '../hotline/partners.js';
import { Bilingual, Channel, Reviewed } from './schema.js';
import { SCHEME_IDS } from '../checker/schemes.js';
import { INSTITUTION_IDS } from '../checker/institutions.js';

/** YAML's parser, loaded only when data/ is read (a server started from a compiled bundle does not). */
const parse = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

const Source = z.string().url('source must be the address of the page the fact was checked against');

export const Contact = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: Bilingual,
    channels: z.array(Channel).min(1),
    hours: Bilingual.optional(),
    topics: z.array(z.string().min(1)).min(1),
    /** A mission abroad: the country it serves (ISO 3166-1 alpha-2, as in countries.yaml). */
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
    /** A consulate's area as its source names it (states, prefectures, districts), each name once; only with `country`. */
    serves: z
      .array(z.string().min(1))
      .min(1)
      .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, 'serves names a place twice')
      .optional(),
    /** Official placement schemes (src/checker/schemes.ts) whose openings this contact announces: shown with a verdict on an offer that names one. */
    schemes: z.array(z.enum(SCHEME_IDS)).min(1).optional(),
    /** Institutions (src/checker/institutions.ts) whose recruitment this contact is the only place of: shown with a verdict on recruitment in one's name. */
    institutions: z.array(z.enum(INSTITUTION_IDS)).min(1).optional(),
    source: Source,
    source_title: z.string().min(1),
    reviewed: Reviewed,
  })
  .strict()
  .refine((c) => !c.serves || c.country, { message: 'serves needs country (the country the area is in)', path: ['serves'] });
export type Contact = z.infer<typeof Contact>;

export const Fact = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    text: Bilingual,
    source: Source,
    source_title: z.string().min(1),
    reviewed: Reviewed,
  })
  .strict();
export type Fact = z.infer<typeof Fact>;

/** An IANA time zone name this Node knows (Asia/Jakarta). */
const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /\//.test(tz);
  } catch {
    return false;
  }
}, 'tz must be an IANA time zone such as Asia/Jakarta');

/** A country (ISO 3166-1 alpha-2) or a province (ISO 3166-2:ID without "ID-"): names (Indonesian, English, others) and its time zone. */
const PlaceSchema = z.object({ code: z.string().regex(/^[A-Z]{2}$/), names: z.array(z.string().min(1)).min(2), tz: TimeZone }).strict();
export type ZonedPlace = z.infer<typeof PlaceSchema>;
/** Where a file's facts come from (a header of the file, as `sources:`). */
const Sources = z.record(z.string().min(1)).refine((s) => Object.keys(s).length > 0, 'sources must name where the data comes from');
/** Indonesia's three legal time zones (Keputusan Presiden No. 41 Tahun 1987): WIB, WITA, WIT. */
export const INDONESIAN_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

export interface ReferenceData {
  contacts: Map<string, Contact>;
  facts: Map<string, Fact>;
  /** Countries people name, with their main time zone. */
  countries: ZonedPlace[];
  /** The provinces of Indonesia, with their time zone. */
  regions: ZonedPlace[];
  /** The offices hotline staff refer cases to (data/partners.yaml), their contacts checked against contacts.yaml. */
  partners: Map<string, Partner>;
  /** The identification interview's trafficking indicators and rule (data/indicators.yaml). */
  indicators: Indicators;
}

function read<T>(file: string, key: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, withSources = false): T[] {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  if (withSources) {
    const sources = Sources.safeParse(doc?.sources);
    if (!sources.success) throw new Error(`${file}: sources: ${sources.error.issues[0]!.message}`);
  }
  const list = z.array(schema).safeParse(doc?.[key]);
  if (!list.success) {
    const issue = list.error.issues[0]!;
    throw new Error(`${file}: ${key}.${issue.path.join('.')}: ${issue.message}`);
  }
  return list.data;
}

/**
 * Places with their sources: each code once, and (for provinces, where a name must mean one place)
 * each name for one place only; a province's zone is one of Indonesia's three.
 */
function readPlaces(file: string, key: 'countries' | 'regions'): ZonedPlace[] {
  const places = read(file, key, PlaceSchema, true);
  const codes = new Set<string>();
  const names = new Map<string, string>();
  for (const p of places) {
    if (codes.has(p.code)) throw new Error(`${file}: code "${p.code}" appears twice`);
    codes.add(p.code);
    if (key !== 'regions') continue;
    if (!(INDONESIAN_ZONES as readonly string[]).includes(p.tz)) throw new Error(`${file}: ${p.code}: tz must be one of ${INDONESIAN_ZONES.join(', ')}`);
    for (const name of new Set(p.names.map((n) => n.toLowerCase()))) {
      const other = names.get(name);
      if (other) throw new Error(`${file}: the name "${name}" stands for both ${other} and ${p.code}`);
      names.set(name, p.code);
    }
  }
  return places;
}

function byId<T extends { id: string }>(file: string, items: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.id)) throw new Error(`${file}: id "${item.id}" appears twice`);
    map.set(item.id, item);
  }
  return map;
}

export function loadReferenceData(dir: string): ReferenceData {
  const contactsFile = join(dir, 'contacts.yaml');
  const factsFile = join(dir, 'facts.yaml');
  const contacts = byId(contactsFile, read(contactsFile, 'contacts', Contact));
  return {
    contacts,
    facts: byId(factsFile, read(factsFile, 'facts', Fact)),
    countries: readPlaces(join(dir, 'countries.yaml'), 'countries'),
    regions: readPlaces(join(dir, 'regions.yaml'), 'regions'),
    partners: loadPartners(dir, new Set(contacts.keys())),
    indicators: loadIndicators(dir),
  };
}
