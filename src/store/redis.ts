// Redis implementation of the store (ioredis). Each multi-key change is one Lua script.
import { Redis, type RedisOptions } from 'ioredis';
import type { Session } from '../engine/types.js';
import { keyspace, type Keyspace, type UserKey } from './keys.js';
import { decodeSession, encodeSession, RECRUITER_TTL_S, SEEN_TTL_S, SESSION_TTL_S, type Claim, type RecruiterCount, type Store } from './store.js';

/**
 * begin: KEYS[1] lock, KEYS[2] session, KEYS[3] seen-mark; ARGV[1] token, ARGV[2] lock ms.
 * Returns {0} when the lock is held by someone else, else {1, session or '', seen 0/1}.
 */
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
return {1, redis.call('GET', KEYS[2]) or '', redis.call('EXISTS', KEYS[3])}`;

/**
 * commit: KEYS[1] lock, KEYS[2] session, KEYS[3] seen-mark;
 * ARGV[1] token, ARGV[2] session JSON ('' erases it), ARGV[3] session ttl s, ARGV[4] seen ttl s.
 */
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[4])
redis.call('DEL', KEYS[1])
return 1`;

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

/** release: KEYS[1] lock; ARGV[1] token. Deletes the lock only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Scripts = {
  waspadaBegin(lock: string, session: string, seen: string, token: string, lockMs: number): Promise<[number, string?, number?]>;
  waspadaCommit(lock: string, session: string, seen: string, token: string, json: string, ttl: number, seenTtl: number): Promise<number>;
  waspadaRelease(lock: string, token: string): Promise<number>;
  waspadaOthersCount(warned: string, reported: string, scratch: string, source: string): Promise<[number, number, number]>;
};

export function redisOptions(): RedisOptions {
  return {
    lazyConnect: true,
    // Fail fast while disconnected: the user is told to try again instead of waiting on a queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  };
}

export class RedisStore implements Store {
  readonly keys: Keyspace;
  private readonly r: Redis & Scripts;

  constructor(redis: Redis, prefix: string) {
    this.keys = keyspace(prefix);
    redis.defineCommand('waspadaBegin', { numberOfKeys: 3, lua: BEGIN });
    redis.defineCommand('waspadaCommit', { numberOfKeys: 3, lua: COMMIT });
    redis.defineCommand('waspadaRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('waspadaOthersCount', { numberOfKeys: 3, lua: OTHERS_COUNT });
    this.r = redis as Redis & Scripts;
  }

  get redis(): Redis {
    return this.r;
  }

  async begin(user: UserKey, messageId: string, token: string, lockMs: number): Promise<Claim | null> {
    const k = this.keys;
    const res = await this.r.waspadaBegin(k.lock(user), k.session(user), k.seen(user, messageId), token, lockMs);
    if (res[0] !== 1) return null;
    return { token, session: decodeSession(res[1]), seen: res[2] === 1 };
  }

  async commit(user: UserKey, token: string, messageId: string, session: Session | null): Promise<boolean> {
    const k = this.keys;
    const json = session ? encodeSession(session) : '';
    return (await this.r.waspadaCommit(k.lock(user), k.session(user), k.seen(user, messageId), token, json, SESSION_TTL_S, SEEN_TTL_S)) === 1;
  }

  async release(user: UserKey, token: string): Promise<void> {
    await this.r.waspadaRelease(this.keys.lock(user), token);
  }

  async forgetUser(user: UserKey): Promise<void> {
    await this.r.del(...this.keys.personal(user));
    // The marks of the user's handled messages (ids only, gone after 48 h anyway).
    let cursor = '0';
    do {
      const [next, found] = await this.r.scan(cursor, 'MATCH', this.keys.seenPattern(user), 'COUNT', 1000);
      cursor = next;
      if (found.length) await this.r.del(...found);
    } while (cursor !== '0');
  }

  async recruiterCounts(hashes: string[], source: string): Promise<RecruiterCount[]> {
    const k = this.keys;
    const res = await Promise.all(hashes.map((h) => this.r.waspadaOthersCount(k.recruiter(h, 'warned'), k.recruiter(h, 'reported'), k.recruiter(h, 'probe'), source)));
    return res.map(([warned, reported, people]) => ({ warned, reported, people }));
  }

  async recordRecruiters(kind: 'warned' | 'reported', hashes: string[], source: string): Promise<void> {
    if (!hashes.length) return;
    const m = this.r.multi();
    for (const h of hashes) m.pfadd(this.keys.recruiter(h, kind), source).expire(this.keys.recruiter(h, kind), RECRUITER_TTL_S);
    const res = await m.exec();
    for (const [err] of res ?? []) if (err) throw err;
  }

  async ping(): Promise<void> {
    await this.r.ping();
  }

  async close(): Promise<void> {
    this.r.disconnect();
  }
}

/** Connects, or throws an error that says which address could not be reached. */
export async function connectRedis(url: string, timeoutMs = 3000): Promise<Redis> {
  const redis = new Redis(url, { ...redisOptions(), connectTimeout: timeoutMs });
  redis.on('error', () => {
    /* reported by the callers that fail; ioredis reconnects by itself */
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const safe = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(`cannot reach Redis at ${safe}: ${(e as Error).message}`);
  }
  return redis;
}
