// Sessions: one user's conversation state, their lock (one message at a time across processes) and
// the ids of the last messages already handled (kept in the same sealed record as the session, so
// a message handled again after a crash is recognised at no extra cost). Redis (production, tests)
// and memory (the demo); one contract suite (test/store/sessions.contract.ts) runs against both.
import { isCluster, type RedisClient } from './connection.js';
import type { Session } from '../engine/types.js';
import type { AlsoWrite } from './atomic.js';
import { CipherError, type DataCipher } from './cipher.js';
import { ExpiringMap } from './expiring.js';
import { requestAofRewrite } from './maintenance.js';
import type { Keyspace, UserKey } from './keys.js';

export interface Claim {
  /** The lease on the user's lock: proves it is ours; pass it to commit or release. */
  lease: string;
  session: Session | null;
  /** This message id was handled before (a re-delivery). */
  seen: boolean;
  /** Safety mode was asked for this person from outside the chat (staff, on their case): see askSafety. */
  safetyAsked?: boolean;
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
   * memory; on Redis Cluster, where their keys are in different slots): the caller does the two in turn.
   */
  commitWith?(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }>;
  /** Prepares commitWith for an AlsoWrite script, at start (see RedisSessionStore.defineAlso). */
  defineAlso?(lua: string): void;
  release(user: UserKey, lease: string): Promise<void>;
  /**
   * Safety mode asked for (or no longer) from outside the chat: the person's next claim says so, and
   * their conversation goes into safety mode then.
   */
  askSafety(user: UserKey, on: boolean): Promise<void>;
  /** Deletes every key holding the user's personal data. */
  forgetUser(user: UserKey): Promise<void>;
}

export const SESSION_TTL_S = 30 * 24 * 3600;
/** How long a recorded effect is known (idempotency keys): a platform re-delivers within hours, never days. */
export const SEEN_TTL_S = 48 * 3600;
/**
 * How many handled message ids a session remembers. A message comes back after its session was saved
 * only when the process that handled it died before the inbox heard so; it is taken again 15 s later.
 * In that time the flood limit lets at most 31 more of the person's messages through (30 in 10 s,
 * then a minute of silence), so 32 always covers it.
 */
export const HANDLED_KEPT = 32;

/** What is stored for a person: the session and the ids of the messages last handled. */
interface SessionRecord {
  session: Session | null;
  handled: string[];
}

export function encodeRecord(session: Session, handled: readonly string[]): string {
  return JSON.stringify({ s: session, h: handled });
}

export function decodeRecord(raw: string | null | undefined): SessionRecord {
  if (!raw) return { session: null, handled: [] };
  try {
    const r = JSON.parse(raw) as { s?: Session; h?: unknown } & Partial<Session>;
    // Records written before the ids were kept are the bare session.
    const s = (r && 's' in r ? r.s : r) as Session | undefined;
    const handled = Array.isArray(r?.h) ? r.h.filter((x): x is string => typeof x === 'string') : [];
    return { session: s && s.v === 1 ? s : null, handled };
  } catch {
    return { session: null, handled: [] };
  }
}

/** The ids to keep after handling `messageId`. */
function withHandled(handled: readonly string[], messageId: string): string[] {
  const kept = handled.length >= HANDLED_KEPT ? handled.slice(handled.length - HANDLED_KEPT + 1) : [...handled];
  kept.push(messageId);
  return kept;
}

/**
 * The handled ids read by each claim, until its commit or release (by lease). A lease whose holder
 * neither commits nor releases (Redis away) is dropped after a while.
 */
class Claimed {
  private readonly byLease = new Map<string, { handled: string[]; at: number }>();
  put(lease: string, handled: string[]): void {
    if (this.byLease.size > 10_000) {
      const old = Date.now() - 120_000;
      for (const [k, v] of this.byLease) if (v.at < old) this.byLease.delete(k);
    }
    this.byLease.set(lease, { handled, at: Date.now() });
  }
  take(lease: string): string[] {
    const got = this.byLease.get(lease);
    this.byLease.delete(lease);
    return got?.handled ?? [];
  }
}

/**
 * begin: KEYS[1] lock, KEYS[2] session, KEYS[3] safety asked for; ARGV[1] lease, ARGV[2] lease ms.
 * Returns {0} when the lock is held by someone else, else {1, sealed record or '', 1 if safety mode was asked for}.
 */
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
return {1, redis.call('GET', KEYS[2]) or '', redis.call('EXISTS', KEYS[3])}`;

/**
 * commit: KEYS[1] lock, KEYS[2] session; ARGV[1] lease, ARGV[2] sealed record ('' erases it: no key
 * names the person afterwards), ARGV[3] session ttl s.
 */
const SAVE = `
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
redis.call('DEL', KEYS[1])`;
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end${SAVE}
return 1`;

/** commit, then another module's write (AlsoWrite) from KEYS[3] and ARGV[4]: returns {0} or {1, its answer}. */
const commitWith = (also: string) => `${also}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end${SAVE}
return {1, also(3, 4)}`;

/** release: KEYS[1] lock; ARGV[1] lease. Deletes the lock only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Scripts = {
  waspadaBegin(lock: string, session: string, asked: string, lease: string, leaseMs: number): Promise<[number, string?, number?]>;
  waspadaCommit(lock: string, session: string, lease: string, record: string, ttl: number): Promise<number>;
  waspadaRelease(lock: string, lease: string): Promise<number>;
};

export class RedisSessionStore implements SessionStore {
  private readonly r: RedisClient & Scripts;
  /** Commands defined for each AlsoWrite script (by its text; its keys are as many each time). */
  private readonly combined = new Map<string, string>();
  private readonly claimed = new Claimed();
  /**
   * On one Redis (or Sentinel's master) only. On a Cluster the session's keys and another module's
   * are in different hash slots, so no script can hold both: the caller does the two in turn.
   */
  readonly commitWith?: SessionStore['commitWith'];
  readonly defineAlso?: SessionStore['defineAlso'];

  constructor(
    redis: RedisClient,
    private readonly keys: Keyspace,
    /** Seals sessions before they are stored (they may hold what a person wrote). */
    private readonly cipher: DataCipher,
  ) {
    redis.defineCommand('waspadaBegin', { numberOfKeys: 3, lua: BEGIN });
    redis.defineCommand('waspadaCommit', { numberOfKeys: 2, lua: COMMIT });
    redis.defineCommand('waspadaRelease', { numberOfKeys: 1, lua: RELEASE });
    this.r = redis as RedisClient & Scripts;
    if (!isCluster(redis)) {
      this.commitWith = (user, lease, messageId, session, also) => this.commitTogether(user, lease, messageId, session, also);
      this.defineAlso = (lua) => this.defineTogether(lua);
    }
  }

  async begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null> {
    const k = this.keys;
    const res = await this.r.waspadaBegin(k.lock(user), k.session(user), k.safetyAsked(user), lease, leaseMs);
    if (res[0] !== 1) return null;
    const { session, handled } = this.open(res[1]);
    this.claimed.put(lease, handled);
    return res[2] === 1 ? { lease, session, seen: handled.includes(messageId), safetyAsked: true } : { lease, session, seen: handled.includes(messageId) };
  }

  async askSafety(user: UserKey, on: boolean): Promise<void> {
    const key = this.keys.safetyAsked(user);
    if (on) await this.r.set(key, '1', 'EX', SESSION_TTL_S);
    else await this.r.del(key);
  }

  private open(raw: string | undefined): SessionRecord {
    if (!raw) return { session: null, handled: [] };
    try {
      return decodeRecord(this.cipher.open(raw));
    } catch (e) {
      // Sealed with a key no longer configured, or not sealed: the person starts afresh.
      if (e instanceof CipherError) return { session: null, handled: [] };
      throw e;
    }
  }

  private seal(lease: string, messageId: string, session: Session | null): string {
    const handled = this.claimed.take(lease);
    return session ? this.cipher.seal(encodeRecord(session, withHandled(handled, messageId))) : '';
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const k = this.keys;
    return (await this.r.waspadaCommit(k.lock(user), k.session(user), lease, this.seal(lease, messageId, session), SESSION_TTL_S)) === 1;
  }

  private async commitTogether(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }> {
    // A command defined for this script at start (defineAlso), else EVAL with the text: a command
    // defined now would be missing from an automatic pipeline already gathering this tick's commands
    // (ioredis copies the commands when it makes one), which then fails and loses its callbacks.
    const name = this.combined.get(also.lua);
    const k = this.keys;
    const record = this.seal(lease, messageId, session);
    const keys = [k.lock(user), k.session(user), ...also.keys];
    const args = [lease, record, SESSION_TTL_S, ...also.args];
    const res = (
      name
        ? await (this.r as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[name]!.call(this.r, keys.length, ...keys, ...args)
        : await this.r.eval(commitWith(also.lua), keys.length, ...keys, ...args)
    ) as [number, string?];
    return res[0] === 1 ? { saved: true, also: res[1] ?? null } : { saved: false, also: null };
  }

  /**
   * Defines the command that saves a session and runs this AlsoWrite script, once, at start (before
   * any traffic). commitWith with a script not defined so runs it with EVAL.
   */
  private defineTogether(lua: string): void {
    if (this.combined.has(lua)) return;
    const name = `waspadaCommitWith${this.combined.size}`;
    // Keys: lock, session, then the AlsoWrite's: their count is given with each call.
    this.r.defineCommand(name, { lua: commitWith(lua) });
    this.combined.set(lua, name);
  }

  async release(user: UserKey, lease: string): Promise<void> {
    this.claimed.take(lease);
    await this.r.waspadaRelease(this.keys.lock(user), lease);
  }

  async forgetUser(user: UserKey): Promise<void> {
    await this.r.del(...this.keys.personal(user));
    // What was deleted is still in the append-only file until it is rewritten: ask for that.
    await requestAofRewrite(this.r, this.keys);
  }
}

/** The same in memory (the demo only): nothing survives a restart. */
export class MemorySessionStore implements SessionStore {
  private readonly data: ExpiringMap<string>;
  private readonly claimed = new Claimed();

  constructor(now: () => number = Date.now) {
    this.data = new ExpiringMap(now);
  }

  async begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null> {
    if (this.data.has(`lock:${user}`)) return null;
    this.data.set(`lock:${user}`, lease, leaseMs);
    const { session, handled } = decodeRecord(this.data.get(`session:${user}`));
    this.claimed.put(lease, handled);
    const seen = handled.includes(messageId);
    return this.data.has(`safety:${user}`) ? { lease, session, seen, safetyAsked: true } : { lease, session, seen };
  }

  async askSafety(user: UserKey, on: boolean): Promise<void> {
    if (on) this.data.set(`safety:${user}`, '1', SESSION_TTL_S * 1000);
    else this.data.delete(`safety:${user}`);
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const handled = this.claimed.take(lease);
    if (this.data.get(`lock:${user}`) !== lease) return false;
    if (session) this.data.set(`session:${user}`, encodeRecord(session, withHandled(handled, messageId)), SESSION_TTL_S * 1000);
    else this.data.delete(`session:${user}`);
    this.data.delete(`lock:${user}`);
    return true;
  }

  async release(user: UserKey, lease: string): Promise<void> {
    this.claimed.take(lease);
    if (this.data.get(`lock:${user}`) === lease) this.data.delete(`lock:${user}`);
  }

  async forgetUser(user: UserKey): Promise<void> {
    this.data.deleteWhere((key) => key === `session:${user}` || key === `safety:${user}`);
  }
}
