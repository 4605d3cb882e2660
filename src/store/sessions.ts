// Sessions: one user's conversation state, their lock (one message at a time across processes) and
// the marks of the messages already handled. Redis (production, tests) and memory (the demo); one
// contract suite (test/store/sessions.contract.ts) runs against both.
import type { Redis } from 'ioredis';
import type { Session } from '../engine/types.js';
import type { AlsoWrite } from './atomic.js';
import { CipherError, type DataCipher } from './cipher.js';
import { ExpiringMap } from './expiring.js';
import type { Keyspace, UserKey } from './keys.js';

export interface Claim {
  /** The lease on the user's lock: proves it is ours; pass it to commit or release. */
  lease: string;
  session: Session | null;
  /** This message id was handled before (a re-delivery). */
  seen: boolean;
}

export interface SessionStore {
  /** Takes the user's lock if it is free, reading the session and the message's seen-mark in the same step. */
  begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null>;
  /**
   * Atomically saves the session (or erases it when null), marks the message handled and frees the lock.
   * Returns false, changing nothing, when the lock is no longer ours.
   */
  commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean>;
  /**
   * The same, and `also` in the same script (both or neither). Absent where that cannot be done (in
   * memory; on Redis Cluster): the caller does the two one after the other.
   */
  commitWith?(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }>;
  release(user: UserKey, lease: string): Promise<void>;
  /** Deletes every key holding the user's personal data. */
  forgetUser(user: UserKey): Promise<void>;
}

export const SESSION_TTL_S = 30 * 24 * 3600;
/** How long a message is known as handled: a platform re-delivers within hours, never days. */
export const SEEN_TTL_S = 48 * 3600;

export function encodeSession(s: Session): string {
  return JSON.stringify(s);
}

export function decodeSession(raw: string | null | undefined): Session | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    return s && s.v === 1 ? s : null;
  } catch {
    return null;
  }
}

/**
 * begin: KEYS[1] lock, KEYS[2] session, KEYS[3] seen-mark; ARGV[1] lease, ARGV[2] lease ms.
 * Returns {0} when the lock is held by someone else, else {1, session or '', seen 0/1}.
 */
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
return {1, redis.call('GET', KEYS[2]) or '', redis.call('EXISTS', KEYS[3])}`;

/**
 * commit: KEYS[1] lock, KEYS[2] session, KEYS[3] seen-mark;
 * ARGV[1] lease, ARGV[2] session JSON ('' erases it), ARGV[3] session ttl s, ARGV[4] seen ttl s.
 */
// An erased session (ARGV[2] '') leaves no seen-mark either: no key may name the person afterwards.
const SAVE = `
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[4])
end
redis.call('DEL', KEYS[1])`;
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end${SAVE}
return 1`;

/** commit, then another module's write (AlsoWrite) from KEYS[4] and ARGV[5]: returns {0} or {1, its answer}. */
const commitWith = (also: string) => `${also}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end${SAVE}
return {1, also(4, 5)}`;

/** release: KEYS[1] lock; ARGV[1] lease. Deletes the lock only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Scripts = {
  waspadaBegin(lock: string, session: string, seen: string, lease: string, leaseMs: number): Promise<[number, string?, number?]>;
  waspadaCommit(lock: string, session: string, seen: string, lease: string, json: string, ttl: number, seenTtl: number): Promise<number>;
  waspadaRelease(lock: string, lease: string): Promise<number>;
};

export class RedisSessionStore implements SessionStore {
  private readonly r: Redis & Scripts;
  /** Commands defined for each AlsoWrite script (by its text; its keys are as many each time). */
  private readonly combined = new Map<string, string>();

  constructor(
    redis: Redis,
    private readonly keys: Keyspace,
    /** Seals sessions before they are stored (they may hold what a person wrote). */
    private readonly cipher: DataCipher,
  ) {
    redis.defineCommand('waspadaBegin', { numberOfKeys: 3, lua: BEGIN });
    redis.defineCommand('waspadaCommit', { numberOfKeys: 3, lua: COMMIT });
    redis.defineCommand('waspadaRelease', { numberOfKeys: 1, lua: RELEASE });
    this.r = redis as Redis & Scripts;
  }

  async begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null> {
    const k = this.keys;
    const res = await this.r.waspadaBegin(k.lock(user), k.session(user), k.seen(user, messageId), lease, leaseMs);
    if (res[0] !== 1) return null;
    return { lease, session: this.open(res[1]), seen: res[2] === 1 };
  }

  private open(raw: string | undefined): Session | null {
    if (!raw) return null;
    try {
      return decodeSession(this.cipher.open(raw));
    } catch (e) {
      // Sealed with a key no longer configured, or not sealed: the person starts afresh.
      if (e instanceof CipherError) return null;
      throw e;
    }
  }

  private seal(session: Session | null): string {
    return session ? this.cipher.seal(encodeSession(session)) : '';
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const k = this.keys;
    const json = this.seal(session);
    return (await this.r.waspadaCommit(k.lock(user), k.session(user), k.seen(user, messageId), lease, json, SESSION_TTL_S, SEEN_TTL_S)) === 1;
  }

  async commitWith(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }> {
    // By the script's text: the same string each time (its hash is kept with it), one command per text.
    let name = this.combined.get(also.lua);
    if (!name) {
      name = `waspadaCommitWith${this.combined.size}`;
      this.r.defineCommand(name, { numberOfKeys: 3 + also.keys.length, lua: commitWith(also.lua) });
      this.combined.set(also.lua, name);
    }
    const k = this.keys;
    const json = this.seal(session);
    const run = (this.r as unknown as Record<string, (...a: (string | number)[]) => Promise<[number, string?]>>)[name]!;
    const res = await run.call(this.r, k.lock(user), k.session(user), k.seen(user, messageId), ...also.keys, lease, json, SESSION_TTL_S, SEEN_TTL_S, ...also.args);
    return res[0] === 1 ? { saved: true, also: res[1] ?? null } : { saved: false, also: null };
  }

  async release(user: UserKey, lease: string): Promise<void> {
    await this.r.waspadaRelease(this.keys.lock(user), lease);
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
    // What was deleted is still in the append-only file until it is rewritten: ask for that.
    await this.r.set(this.keys.aofRewritePending, '1', 'EX', 7 * 24 * 3600);
  }
}

/** The same in memory (the demo only): nothing survives a restart. */
export class MemorySessionStore implements SessionStore {
  private readonly data: ExpiringMap<string>;

  constructor(now: () => number = Date.now) {
    this.data = new ExpiringMap(now);
  }

  async begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null> {
    if (this.data.has(`lock:${user}`)) return null;
    this.data.set(`lock:${user}`, lease, leaseMs);
    return { lease, session: decodeSession(this.data.get(`session:${user}`)), seen: this.data.has(`seen:${user}:${messageId}`) };
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    if (this.data.get(`lock:${user}`) !== lease) return false;
    if (session) {
      this.data.set(`session:${user}`, encodeSession(session), SESSION_TTL_S * 1000);
      this.data.set(`seen:${user}:${messageId}`, '1', SEEN_TTL_S * 1000);
    } else this.data.delete(`session:${user}`);
    this.data.delete(`lock:${user}`);
    return true;
  }

  async release(user: UserKey, lease: string): Promise<void> {
    if (this.data.get(`lock:${user}`) === lease) this.data.delete(`lock:${user}`);
  }

  async forgetUser(user: UserKey): Promise<void> {
    this.data.deleteWhere((key) => key === `session:${user}` || key.startsWith(`seen:${user}:`));
  }
}
