// Duplicate reports: several relatives report one missing person. Found without opening every case: a
// case is indexed when it opens under a few keyed hashes (HASH_SECRET, as the recruiter counts are) of
//   - its person's name with the country they went to, spelt loosely (vowels, doubled letters and old
//     spellings folded away) and each spelling one letter short, so a name spelt with one letter more,
//     less or other lands in a shared set;
//   - the recruiter's contact (the same hash the offer checker gives a number, so a recruiter report
//     and a missing-person report naming one number meet);
//   - a passport number, when the report or the interview has one.
// A lookup reads the case's own hashes and the sets they name (small), then opens only the cases that
// share a name hash to compare the names with a bounded edit distance. No key names a person.
//
// Linked cases (staff confirm a duplicate) form one group: a note shared with a family, or a stage
// change, on one reaches every family of the group through the outbox (src/hotline/service.ts).
import { createHmac } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import { normaliseContact } from '../checker/contacts.js';
import { RecruiterHasher } from '../conversation/recruiters.js';
import { fold, withinDistance } from '../engine/text.js';
import { keyspace } from '../store/keys.js';
import type { CaseStore } from './cases.js';
import { normalisePassport } from './identification.js';
import type { CaseDetails } from './types.js';

export const DUPLICATE_REASONS = ['name', 'recruiter', 'passport'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** What one case is indexed under: a keyed hash and what it stands for. */
export interface IndexEntry {
  hash: string;
  reason: DuplicateReason;
}

/** The most cases read from one set: a very common name spelling stays a small lookup. */
const MAX_PER_SET = 50;
/** The shortest loose spelling indexed with its one-letter-short variants (shorter ones would meet too often). */
const MIN_VARIANT_LENGTH = 5;

/** Words that are not part of the name ("Ibu Siti", "Siti binti Ahmad" is kept: binti names a father). */
const TITLES = new Set(['ibu', 'bu', 'bapak', 'pak', 'mbak', 'mas', 'kak', 'kakak', 'adik', 'dik', 'sdr', 'sdri', 'saudara', 'saudari', 'almarhum', 'mr', 'mrs', 'ms']);

/**
 * A name as compared: folded (lower case, no accents or punctuation), titles left out, old spellings
 * as today's (oe → u, dj → j, tj → c, nj → ny, sj → sy, ch → kh), y between consonants as i, doubled
 * letters once.
 */
export function nameForm(name: string): string {
  return fold(name)
    .split(' ')
    .filter((w) => w && !TITLES.has(w))
    .join(' ')
    .replace(/oe/g, 'u')
    .replace(/dj/g, 'j')
    .replace(/tj/g, 'c')
    .replace(/nj/g, 'ny')
    .replace(/sj/g, 'sy')
    .replace(/ch/g, 'kh')
    .replace(/(?<=[^aeiou\s])y(?=[^aeiou]|$)/g, 'i')
    .replace(/(\p{L})\1+/gu, '$1');
}

/** A name's loose spelling: each word's first letter and its consonants, a final h after a vowel left out ("Siti Aminah" → "stamn"). */
export function nameSkeleton(form: string): string {
  return form
    .split(' ')
    .filter(Boolean)
    .map((w) => w.replace(/(?<=[aeiou])h$/, ''))
    .map((w) => w[0]! + w.slice(1).replace(/[aeiouy]/g, ''))
    .join('');
}

/** The skeleton and, when long enough, each of its one-letter-short variants: two skeletons one edit apart share one. */
export function skeletonVariants(skeleton: string): string[] {
  if (!skeleton) return [];
  const out = new Set([skeleton]);
  if (skeleton.length >= MIN_VARIANT_LENGTH) for (let i = 0; i < skeleton.length; i++) out.add(skeleton.slice(0, i) + skeleton.slice(i + 1));
  return [...out];
}

/** Edits allowed between two name forms to be one person's name: none for short names. */
export function nameBudget(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  if (length <= 16) return 2;
  return 3;
}

/** Whether two names (as reporters wrote them) are one name spelt differently: a bounded edit distance of their forms. */
export function sameName(a: string, b: string): boolean {
  const fa = nameForm(a);
  const fb = nameForm(b);
  if (!fa || !fb) return false;
  const budget = nameBudget(Math.min(fa.length, fb.length));
  return withinDistance(fa, fb, budget) <= budget;
}

/** Passport numbers in a report's text: Indonesian passports are one letter and seven digits. */
export function passportsIn(text: string): string[] {
  return [...text.matchAll(/\b([A-Za-z])\s?(\d{7})\b/g)].map((m) => `${m[1]!.toUpperCase()}${m[2]}`);
}

export interface DuplicateFound {
  id: string;
  reasons: DuplicateReason[];
  linked: boolean;
}

/**
 * link: KEYS[1] the first case's links, KEYS[2] the second's; ARGV[1] key base, ARGV[2] and ARGV[3]
 * the two cases. Every case of either group is linked with every other (the per-case names are built
 * from the base as src/store/keys.ts does; all share the {hotline} hash tag). Returns the group.
 */
const LINK = `
local group, seen = {}, {}
local function add(x) if not seen[x] then seen[x] = true; group[#group + 1] = x end end
add(ARGV[2]); add(ARGV[3])
for _, x in ipairs(redis.call('SMEMBERS', KEYS[1])) do add(x) end
for _, x in ipairs(redis.call('SMEMBERS', KEYS[2])) do add(x) end
for _, x in ipairs(group) do
  for _, y in ipairs(group) do
    if x ~= y then redis.call('SADD', ARGV[1] .. 'links:' .. x, y) end
  end
end
return group`;

/** unlink: KEYS[1] the case's links; ARGV[1] base, ARGV[2] the case. Takes it out of its group; returns the others. */
const UNLINK = `
local others = redis.call('SMEMBERS', KEYS[1])
for _, x in ipairs(others) do redis.call('SREM', ARGV[1] .. 'links:' .. x, ARGV[2]) end
redis.call('DEL', KEYS[1])
return others`;

type LinkScript = {
  hotlineLink(linksA: string, linksB: string, base: string, a: string, b: string): Promise<string[]>;
  hotlineUnlink(links: string, base: string, id: string): Promise<string[]>;
};

export class DuplicateIndex {
  private readonly keys: ReturnType<typeof keyspace>['hotline'];
  private readonly recruiters: RecruiterHasher;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly secret: string,
  ) {
    this.keys = keyspace(prefix).hotline;
    redis.defineCommand('hotlineLink', { numberOfKeys: 2, lua: LINK });
    redis.defineCommand('hotlineUnlink', { numberOfKeys: 1, lua: UNLINK });
    this.recruiters = new RecruiterHasher(secret);
  }

  private hmac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url').slice(0, 22);
  }

  /** The keyed hashes a report is indexed under (pure: the same report gives the same hashes). */
  entries(details: CaseDetails, passports: readonly string[] = []): IndexEntry[] {
    const out = new Map<string, DuplicateReason>();
    const country = details.country?.toUpperCase() ?? '';
    if (details.name && country) {
      for (const v of skeletonVariants(nameSkeleton(nameForm(details.name)))) out.set(this.hmac(`dup:name:${country}:${v}`), 'name');
    }
    const contacts = [...(details.offerContacts ?? [])];
    const typed = details.recruiterContact ? normaliseContact(details.recruiterContact) : null;
    if (typed) contacts.push(this.recruiters.hash(typed));
    for (const c of contacts) out.set(this.hmac(`dup:recruiter:${c}`), 'recruiter');
    const texts = [details.story ?? '', ...(details.additions ?? []).map((a) => a.text)].join('\n');
    for (const p of [...passports, ...passportsIn(texts)]) {
      const n = normalisePassport(p);
      if (n) out.set(this.hmac(`dup:passport:${n}`), 'passport');
    }
    return [...out].map(([hash, reason]) => ({ hash, reason }));
  }

  /** Indexes a case (when it opens; again when the interview gives a passport number). */
  async add(id: string, details: CaseDetails, passports: readonly string[] = []): Promise<void> {
    const entries = this.entries(details, passports);
    if (!entries.length) return;
    const m = this.redis.multi();
    for (const e of entries) m.sadd(this.keys.dup(e.hash), id);
    m.hset(this.keys.dupOf(id), ...entries.flatMap((e) => [e.hash, e.reason]));
    await m.exec();
  }

  /** Takes a case out of the index (its personal fields were removed). */
  async remove(id: string): Promise<void> {
    const own = await this.redis.hkeys(this.keys.dupOf(id));
    const m = this.redis.multi();
    for (const h of own) m.srem(this.keys.dup(h), id);
    m.del(this.keys.dupOf(id));
    await m.exec();
  }

  /**
   * The cases that may report the same person as `id`, with why: the same recruiter contact or
   * passport (the hashes are equal), or the same name and country spelt differently (only those
   * cases are opened, to compare the names).
   */
  async find(id: string, store: Pick<CaseStore, 'get'>): Promise<DuplicateFound[]> {
    const own = await this.redis.hgetall(this.keys.dupOf(id));
    const hashes = Object.keys(own);
    const members = await Promise.all(hashes.map((h) => this.redis.srandmember(this.keys.dup(h), MAX_PER_SET)));
    const found = new Map<string, Set<DuplicateReason>>();
    hashes.forEach((h, i) => {
      for (const other of members[i] ?? []) {
        if (other === id) continue;
        if (!found.has(other)) found.set(other, new Set());
        found.get(other)!.add(own[h] as DuplicateReason);
      }
    });
    const named = [...found].filter(([, r]) => r.has('name'));
    if (named.length) {
      const me = await store.get(id);
      const others = await Promise.all(named.map(([other]) => store.get(other)));
      named.forEach(([other, reasons], i) => {
        const theirs = others[i]?.details?.name;
        if (!me?.details?.name || !theirs || !sameName(me.details.name, theirs)) reasons.delete('name');
        if (!reasons.size) found.delete(other);
      });
    }
    const linked = new Set(await this.linked(id));
    return [...found]
      .map(([other, reasons]) => ({ id: other, reasons: DUPLICATE_REASONS.filter((r) => reasons.has(r)), linked: linked.has(other) }))
      .sort((a, b) => b.reasons.length - a.reasons.length || a.id.localeCompare(b.id));
  }

  /** The cases linked with `id` (not itself). */
  async linked(id: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.links(id))).sort();
  }

  /** Takes a case out of its group (linked by mistake): the others stay linked together. The cases it was linked with, sorted. */
  async unlink(id: string): Promise<string[]> {
    return ((await (this.redis as RedisClient & LinkScript).hotlineUnlink(this.keys.links(id), this.keys.base, id)) as string[]).sort();
  }

  /** Links two cases: their groups become one (every case of it linked with every other). The group, sorted. */
  async link(a: string, b: string): Promise<string[]> {
    const group = (await (this.redis as RedisClient & LinkScript).hotlineLink(this.keys.links(a), this.keys.links(b), this.keys.base, a, b)) as string[];
    return group.sort();
  }
}
