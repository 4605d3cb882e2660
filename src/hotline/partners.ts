// Referral partners (data/partners.yaml): the offices hotline staff refer a case to. Reviewed data with
// sources, validated at load: shape first, then references (unique ids, contacts that exist in contacts.yaml).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { ROOT } from '../content/index.js';
import { Bilingual, Channel, Reviewed } from '../content/schema.js';

export const PARTNER_KINDS = [
  'ministry_protection',
  'embassy',
  'migrant_ministry',
  'migrant_ministry_regional',
  'social_affairs',
  'police',
  'international',
  'ngo',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PARTNERS_FILE = 'partners.yaml';

/** YAML's parser, loaded only when the file is read (as in src/content/data.ts). */
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

const Id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case: a lower-case letter, then letters, digits or _');

const PartnerSchema = z
  .object({
    id: Id,
    kind: z.enum(PARTNER_KINDS),
    name: Bilingual,
    country: z.string().regex(/^[A-Z]{2}$/, 'country must be an ISO-2 code in capitals (ID, KH, MY)'),
    contacts: z.array(Id).min(1, 'contacts, when given, must name at least one contact').optional(),
    channels: z.array(Channel).min(1, 'channels, when given, must hold at least one channel').optional(),
    source: z
      .string()
      .url('source must be the address of the page the office was read on')
      .regex(/^https:\/\//, 'source must be an https address'),
    source_title: z.string().min(1),
    reviewed: Reviewed,
  })
  .strict();

export type PartnerChannel = z.infer<typeof Channel>;

export interface Partner {
  id: string;
  kind: PartnerKind;
  name: { id: string; en: string };
  /** ISO-2 code of where the office is. */
  country: string;
  /** Ids of entries in contacts.yaml that reach this office (empty when it has its own channels only). */
  contacts: readonly string[];
  /** Ways to reach the office read in its own source (empty when it is reached through `contacts`). */
  channels: readonly PartnerChannel[];
  source: string;
  source_title: string;
  /** YYYY-MM-DD */
  reviewed: string;
}

/** `channels.0.value` → `channels[0].value` */
function fieldPath(path: (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

/** A zod problem as "field: message" (unknown fields named one by one); shared with src/hotline/indicators.ts. */
export function describeIssue(issue: z.ZodIssue): string {
  const at = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${at ? `${at}.` : ''}${k}: unknown field`).join('; ');
  return `${at || '(entry)'}: ${issue.message}`;
}

/** A reviewed data file's YAML, parsed; an error names the file and whether it could not be read or parsed. */
export function readDataYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot be read: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: cannot be read as YAML: ${(err as Error).message}`);
  }
}

/**
 * Reads and checks data/partners.yaml. Throws one error listing every problem, each naming the file, the entry
 * (its index and id) and the field. With `contactIds` (the ids of contacts.yaml), a `contacts` id that is not
 * among them is a problem too.
 */
export function loadPartners(dataDir: string = join(ROOT, 'data'), contactIds?: ReadonlySet<string>): Map<string, Partner> {
  const file = join(dataDir, PARTNERS_FILE);
  const doc = readDataYaml(file);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: must be a mapping with the key "partners"`);
  const unknownKeys = Object.keys(doc).filter((k) => k !== 'partners');
  if (unknownKeys.length) throw new Error(`${file}: unknown top-level key(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')} (only "partners")`);
  const list = (doc as { partners?: unknown }).partners;
  if (!Array.isArray(list)) throw new Error(`${file}: partners: must be a list of partners`);

  const problems: string[] = [];
  const partners = new Map<string, Partner>();
  const firstIndex = new Map<string, number>();
  list.forEach((raw, i) => {
    const rawId = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    const entry = `partners[${i}]${rawId ? ` (${rawId})` : ''}`;
    const problem = (text: string) => problems.push(`${file}: ${entry}.${text}`);
    const parsed = PartnerSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(describeIssue(issue));
      return;
    }
    const p = parsed.data;
    if (!p.contacts && !p.channels) problem('contacts/channels: an entry needs "contacts" (ids in contacts.yaml) or "channels": staff must have a way to reach the office');
    const seen = new Set<string>();
    (p.contacts ?? []).forEach((c, k) => {
      if (seen.has(c)) problem(`contacts[${k}]: "${c}" is listed twice`);
      else if (contactIds && !contactIds.has(c)) problem(`contacts[${k}]: "${c}" is not a contact id in contacts.yaml`);
      seen.add(c);
    });
    const earlier = firstIndex.get(p.id);
    if (earlier !== undefined) {
      problem(`id: "${p.id}" is already used by partners[${earlier}]`);
      return;
    }
    firstIndex.set(p.id, i);
    partners.set(p.id, { ...p, contacts: p.contacts ?? [], channels: p.channels ?? [] });
  });
  if (problems.length) throw new Error(problems.join('\n'));
  return partners;
}

/** The name staff and reporters see for a partner, in their language. */
export function partnerLabel(p: Partner, lang: 'id' | 'en'): string {
  return p.name[lang];
}
