// Reviewed reference data (data/*.yaml): contacts, legal facts, countries, referral partners. Validated at load.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { loadPartners, type Partner } from '../hotline/partners.js';
import { Bilingual, Channel, Reviewed } from './schema.js';

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
    source: Source,
    source_title: z.string().min(1),
    reviewed: Reviewed,
  })
  .strict();
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

const CountrySchema = z.object({ code: z.string().regex(/^[A-Z]{2}$/), names: z.array(z.string().min(1)).min(2) }).strict();

export interface ReferenceData {
  contacts: Map<string, Contact>;
  facts: Map<string, Fact>;
  countries: { code: string; names: string[] }[];
  /** The offices hotline staff refer cases to (data/partners.yaml), their contacts checked against contacts.yaml. */
  partners: Map<string, Partner>;
}

function read<T>(file: string, key: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T[] {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  const list = z.array(schema).safeParse(doc?.[key]);
  if (!list.success) {
    const issue = list.error.issues[0]!;
    throw new Error(`${file}: ${key}.${issue.path.join('.')}: ${issue.message}`);
  }
  return list.data;
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
    countries: read(join(dir, 'countries.yaml'), 'countries', CountrySchema),
    partners: loadPartners(dir, new Set(contacts.keys())),
  };
}
