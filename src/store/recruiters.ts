// The recruiter registry: how many people were warned about, or reported, a recruiter's contact.
// Contacts (phone numbers, links) are known only by keyed hashes, and the people only as members of a
// HyperLogLog: counts, no identities. Redis (production, tests) and memory (the demo); one contract
// suite (test/store/recruiters.contract.ts) runs against both.
import type { RedisClient } from './connection.js';
import { ExpiringMap } from './expiring.js';
import type { Keyspace } from './keys.js';
import { SEEN_TTL_S } from './sessions.js';

export type RecruiterMark = 'warned' | 'reported';

export interface RecruiterCount {
  /** Distinct people whose high-risk offer contained it. */
  warned: number;
  /** Distinct people who reported it. */
  reported: number;
  /** Distinct people who did either (one who warned and reported counts once). */
  people: number;
}

export interface RecruiterRegistry {
  /** Counts of other people than `source` (HyperLogLog counts are approximate). */
  counts(hashes: string[], source: string): Promise<RecruiterCount[]>;
  /**
   * Counts `source` as having warned about / reported each contact. `key` is the idempotency key of
   * the work asking (one message's effect): a contact already recorded under it is not recorded again,
   * so a message handled a second time (its first save failed) changes nothing.
   */
  record(mark: RecruiterMark, hashes: string[], source: string, key: string): Promise<void>;
}

/** Recruiter counts are kept a year after the last warning or report. */
export const RECRUITER_TTL_S = 365 * 24 * 3600;
/** An idempotency key is remembered as long as its message may be handled again (its seen-mark's life). */
export const RECORDED_TTL_S = SEEN_TTL_S;

/**
 * othersCount: KEYS[1] warned, KEYS[2] reported, KEYS[3] scratch key; ARGV[1] the asking person.
 * Counts warned, reported, and both together (PFMERGE), each leaving the asking person out: adding
 * them to a copy changes nothing if they are in it.
 */
const OTHERS_COUNT = `
local function others(n)
  if n == 0 then return 0 end
  if redis.call('PFADD', KEYS[3], ARGV[1]) == 0 then n = n - 1 end
  return n
end
local out = {}
for i = 1, 2 do
  redis.call('DEL', KEYS[3])
  local n = redis.call('PFCOUNT', KEYS[i])
  if n > 0 then redis.call('COPY', KEYS[i], KEYS[3], 'REPLACE') end
  out[i] = others(n)
end
redis.call('DEL', KEYS[3])
redis.call('PFMERGE', KEYS[3], KEYS[1], KEYS[2])
out[3] = others(redis.call('PFCOUNT', KEYS[3]))
redis.call('DEL', KEYS[3])
return out`;

/**
 * recordOnce: KEYS[1] the count (HyperLogLog), KEYS[2] the idempotency mark;
 * ARGV[1] the person, ARGV[2] count ttl s, ARGV[3] mark ttl s.
 * Adds the person unless the mark exists; returns 1 when it added, 0 when the key was seen before.
 */
const RECORD_ONCE = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then return 0 end
redis.call('PFADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1`;

type Scripts = {
  waspadaOthersCount(warned: string, reported: string, scratch: string, source: string): Promise<[number, number, number]>;
  waspadaRecordOnce(count: string, mark: string, source: string, ttl: number, markTtl: number): Promise<number>;
};

export class RedisRecruiterRegistry implements RecruiterRegistry {
  private readonly r: RedisClient & Scripts;

  constructor(
    redis: RedisClient,
    private readonly keys: Keyspace,
  ) {
    redis.defineCommand('waspadaOthersCount', { numberOfKeys: 3, lua: OTHERS_COUNT });
    redis.defineCommand('waspadaRecordOnce', { numberOfKeys: 2, lua: RECORD_ONCE });
    this.r = redis as RedisClient & Scripts;
  }

  async counts(hashes: string[], source: string): Promise<RecruiterCount[]> {
    const k = this.keys;
    const res = await Promise.all(hashes.map((h) => this.r.waspadaOthersCount(k.recruiter(h, 'warned'), k.recruiter(h, 'reported'), k.recruiter(h, 'probe'), source)));
    return res.map(([warned, reported, people]) => ({ warned, reported, people }));
  }

  async record(mark: RecruiterMark, hashes: string[], source: string, key: string): Promise<void> {
    // One script per contact: each contact's keys share its hash tag (Redis Cluster), and each is
    // recorded exactly once per key even if the connection drops between two of them.
    const k = this.keys;
    await Promise.all(hashes.map((h) => this.r.waspadaRecordOnce(k.recruiter(h, mark), k.recruiterRecorded(h, mark, key), source, RECRUITER_TTL_S, RECORDED_TTL_S)));
  }
}

/** The same in memory (the demo only): nothing survives a restart. */
export class MemoryRecruiterRegistry implements RecruiterRegistry {
  private readonly members = new Map<string, Set<string>>();
  private readonly recorded: ExpiringMap<true>;

  constructor(now: () => number = Date.now) {
    this.recorded = new ExpiringMap(now);
  }

  async counts(hashes: string[], source: string): Promise<RecruiterCount[]> {
    const members = (key: string) => this.members.get(key) ?? new Set<string>();
    const others = (set: Set<string>) => set.size - (set.has(source) ? 1 : 0);
    return hashes.map((h) => {
      const warned = members(`${h}:warned`);
      const reported = members(`${h}:reported`);
      return { warned: others(warned), reported: others(reported), people: others(new Set([...warned, ...reported])) };
    });
  }

  async record(mark: RecruiterMark, hashes: string[], source: string, key: string): Promise<void> {
    for (const h of hashes) {
      const done = `${h}:${mark}:${key}`;
      if (this.recorded.has(done)) continue;
      this.recorded.set(done, true, RECORDED_TTL_S * 1000);
      const set = this.members.get(`${h}:${mark}`) ?? new Set<string>();
      this.members.set(`${h}:${mark}`, set.add(source));
    }
  }
}
