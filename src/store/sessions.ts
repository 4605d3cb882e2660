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

/**
 * Per person: at most `limit` messages in `windowS` seconds; the message past it is answered with one
 * warning, then the person is not answered for `silenceS` (see the inbox's flood limit).
 */
export interface MessageLimit {
  limit: number;
  windowS: number;
  silenceS: number;
}

/** A message over the person's limit: not handled, the lock not taken. 'warn': the first one over (one warning); 'silent': dropped. */
export interface OverLimit {
  over: 'warn' | 'silent';
}

/** A message that must wait behind the person's others in the inbox (BeginOptions.behind): not taken, the lock left free. */
export interface Behind {
  behind: true;
}

export interface BeginOptions {
  /** The person's limit this message counts against (see MessageLimit). */
  count?: MessageLimit;
  /**
   * Remember the message as handled apart from the session too, for two days, under this reference (a
   * keyed hash of its channel and id: a platform's message id may hold the sender's number, so it is
   * not used as it is), so that it is recognised even after the session was erased or more than
   * HANDLED_KEPT messages later. Only where the store can (one Redis, and in memory). A message over
   * the limit is marked too: brought again, it is not counted or warned about twice.
   */
  mark?: string;
  /**
   * A message straight from a webhook: taken only if none of the person's messages waits in the inbox
   * (keys.inboxHold, set by any process that put one there), else `{ behind: true }` and it goes there
   * too, behind them. Only where there is an inbox beside the store (one Redis).
   */
  behind?: boolean;
}

export interface SessionStore {
  /**
   * Takes the user's lock if it is free, reading the session and the message's seen-mark in the same
   * step. With `count`, the person's limit is checked in that step: over it, the message is not taken
   * (the lock is left free) and counts towards the silence; under it, it counts once it is committed.
   */
  begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null>;
  begin(user: UserKey, messageId: string, lease: string, leaseMs: number, opts: BeginOptions): Promise<Claim | OverLimit | Behind | null>;
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
 * when the process that handled it died before the inbox heard so (taken again 15 s later; the flood
 * limit lets at most 31 more of the person's messages through meanwhile), or when its platform was
 * not answered (it delivers the message again, within minutes as a rule). On one Redis the turn also
 * leaves a handled-mark for two days (BeginOptions.mark), which covers a message brought back later or
 * after the session was erased; on a Cluster (no marks) these ids are all there is.
 */
export const HANDLED_KEPT = 32;

/**
 * How long a lease on a person's lock lasts if its holder dies (the conversation service's; handling a
 * message takes far less). A lock freed by mistake (see OWNED) is put back for at least this long.
 */
export const LOCK_LEASE_MS = 15_000;

/** How long a lock freed by mistake is put back for (see OWNED): the longest a lease may have left. */
const restoreMs = (leaseMs: number | undefined): number => Math.max(leaseMs ?? 0, LOCK_LEASE_MS);

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
interface Taken {
  handled: string[];
  /** The message's handled-mark, to set on commit (BeginOptions.mark). */
  mark?: string;
  /** The limit the message counts against on commit. */
  count?: MessageLimit;
  /** How long the lease lasts (ms): a lock freed by mistake is put back for at least this long (see OWNED). */
  leaseMs?: number;
}

class Claimed {
  private readonly byLease = new Map<string, Taken & { at: number }>();
  put(lease: string, taken: Taken): void {
    if (this.byLease.size > 10_000) {
      const old = Date.now() - 120_000;
      for (const [k, v] of this.byLease) if (v.at < old) this.byLease.delete(k);
    }
    this.byLease.set(lease, { ...taken, at: Date.now() });
  }
  take(lease: string): Taken {
    const got = this.byLease.get(lease);
    this.byLease.delete(lease);
    return got ?? { handled: [] };
  }
}

/**
 * begin: KEYS[1] lock, KEYS[2] session, KEYS[3] safety asked for, KEYS[4] the person's message count,
 * KEYS[5] the message's handled-mark, KEYS[6] the person's inbox hold (each KEYS[1] again when there is
 * none); ARGV[1] lease, ARGV[2] lease ms, ARGV[3] most messages in a window (0: not counted), ARGV[4]
 * window s (unused here: the commit starts the window), ARGV[5] silence s, ARGV[6] mark ttl s. Returns
 * {4} when the person has messages waiting in the inbox (nothing taken); {0} when the lock is held by
 * someone else; {2} for the first message over the limit (the count then lives for the silence), {3}
 * for one after it (the lock left free and the message marked in both); else {1, sealed record or '',
 * 1 if safety mode was asked for, 1 if the message was marked handled}. A message marked handled is
 * not counted. Everything it reads is read by one MGET (the keys given as KEYS[1] again are read and
 * ignored): two commands for a message taken, not six.
 */
const BEGIN = `
local v = redis.call('MGET', KEYS[6], KEYS[5], KEYS[4], KEYS[2], KEYS[3])
if KEYS[6] ~= KEYS[1] and v[1] then return {4} end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local marked = 0
if KEYS[5] ~= KEYS[1] and v[2] then marked = 1 end
local limit = tonumber(ARGV[3])
if limit > 0 and marked == 0 and tonumber(v[3] or '0') >= limit then
  redis.call('DEL', KEYS[1])
  if KEYS[5] ~= KEYS[1] then redis.call('SET', KEYS[5], '1', 'EX', ARGV[6]) end
  local n = redis.call('INCR', KEYS[4])
  if n == limit + 1 then
    redis.call('EXPIRE', KEYS[4], ARGV[5])
    return {2}
  end
  return {3}
end
local asked = 0
if v[5] then asked = 1 end
return {1, v[4] or '', asked, marked}`;

/**
 * Frees the lock KEYS[1] if it holds our lease (ARGV[1]), in one GETDEL (not a GET and a DEL); a lock
 * another process took meanwhile (ours ran out) is put back as it was, for ARGV[ms] ms (the longest a
 * lease lasts, LOCK_LEASE_MS: at least what it had left), and the script returns `fail`.
 */
const OWNED = (fail: string, ms: number) => `
local held = redis.call('GETDEL', KEYS[1])
if held ~= ARGV[1] then
  if held then redis.call('SET', KEYS[1], held, 'PX', ARGV[${ms}]) end
  return ${fail}
end`;

/**
 * commit: KEYS[1] lock, KEYS[2] session, KEYS[3] the message's handled-mark, KEYS[4] the person's
 * message count (each KEYS[1] again when there is none); ARGV[1] lease, ARGV[2] sealed record (''
 * erases it: no key names the person afterwards), ARGV[3] session ttl s, ARGV[4] mark ttl s,
 * ARGV[5] count window s, ARGV[6] the lease's length ms. The lock is freed first (OWNED).
 */
const SAVE = `
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
if KEYS[3] ~= KEYS[1] then redis.call('SET', KEYS[3], '1', 'EX', ARGV[4]) end
if KEYS[4] ~= KEYS[1] and redis.call('INCR', KEYS[4]) == 1 then redis.call('EXPIRE', KEYS[4], ARGV[5]) end`;
const COMMIT = `${OWNED('0', 6)}${SAVE}
return 1`;

/** commit, then another module's write (AlsoWrite) from KEYS[5] and ARGV[7]: returns {0} or {1, its answer}. */
const commitWith = (also: string) => `${also}${OWNED('{0}', 6)}${SAVE}
return {1, also(5, 7)}`;

/** release: KEYS[1] lock; ARGV[1] lease, ARGV[2] its length ms. Frees the lock only if it is still ours (OWNED). */
const RELEASE = `${OWNED('0', 2)}
return 1`;

type Scripts = {
  waspadaBegin(lock: string, session: string, asked: string, count: string, mark: string, hold: string, lease: string, leaseMs: number, limit: number, windowS: number, silenceS: number, markTtl: number): Promise<[number, string?, number?, number?]>;
  waspadaCommit(lock: string, session: string, mark: string, count: string, lease: string, record: string, ttl: number, markTtl: number, windowS: number, leaseMs: number): Promise<number>;
  waspadaRelease(lock: string, lease: string, leaseMs: number): Promise<number>;
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
  /** Handled-marks are kept (BeginOptions.mark): not on a Cluster, where they are in another slot than the person's keys. */
  private readonly marks: boolean;

  constructor(
    redis: RedisClient,
    private readonly keys: Keyspace,
    /** Seals sessions before they are stored (they may hold what a person wrote). */
    private readonly cipher: DataCipher,
  ) {
    redis.defineCommand('waspadaBegin', { numberOfKeys: 6, lua: BEGIN });
    redis.defineCommand('waspadaCommit', { numberOfKeys: 4, lua: COMMIT });
    redis.defineCommand('waspadaRelease', { numberOfKeys: 1, lua: RELEASE });
    this.r = redis as RedisClient & Scripts;
    this.marks = !isCluster(redis);
    if (!isCluster(redis)) {
      this.commitWith = (user, lease, messageId, session, also) => this.commitTogether(user, lease, messageId, session, also);
      this.defineAlso = (lua) => this.defineTogether(lua);
    }
  }

  begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null>;
  begin(user: UserKey, messageId: string, lease: string, leaseMs: number, opts: BeginOptions): Promise<Claim | OverLimit | Behind | null>;
  async begin(user: UserKey, messageId: string, lease: string, leaseMs: number, opts: BeginOptions = {}): Promise<Claim | OverLimit | Behind | null> {
    const k = this.keys;
    const lock = k.lock(user);
    const mark = opts.mark && this.marks ? k.handledMark(opts.mark) : undefined;
    const count = opts.count && opts.count.limit > 0 ? opts.count : undefined;
    const hold = opts.behind && this.marks ? k.inboxHold(user) : lock;
    const res = await this.r.waspadaBegin(lock, k.session(user), k.safetyAsked(user), k.messageCount(user), mark ?? lock, hold, lease, leaseMs, count?.limit ?? 0, count?.windowS ?? 0, count?.silenceS ?? 0, SEEN_TTL_S);
    if (res[0] === 4) return { behind: true };
    if (res[0] === 2 || res[0] === 3) return { over: res[0] === 2 ? 'warn' : 'silent' };
    if (res[0] !== 1) return null;
    const { session, handled } = this.open(res[1]);
    this.claimed.put(lease, { handled, mark, count, leaseMs });
    const seen = res[3] === 1 || handled.includes(messageId);
    return res[2] === 1 ? { lease, session, seen, safetyAsked: true } : { lease, session, seen };
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

  /** The keys and arguments every commit script starts with (see SAVE). */
  private saving(user: UserKey, lease: string, messageId: string, session: Session | null): { keys: string[]; args: (string | number)[] } {
    const taken = this.claimed.take(lease);
    const record = session ? this.cipher.seal(encodeRecord(session, withHandled(taken.handled, messageId))) : '';
    const lock = this.keys.lock(user);
    return {
      // An erased session ("delete my data") leaves no count naming the person either.
      keys: [lock, this.keys.session(user), taken.mark ?? lock, taken.count && session ? this.keys.messageCount(user) : lock],
      args: [lease, record, SESSION_TTL_S, SEEN_TTL_S, taken.count?.windowS ?? 0, restoreMs(taken.leaseMs)],
    };
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const { keys, args } = this.saving(user, lease, messageId, session);
    return (await (this.r.waspadaCommit as (...a: (string | number)[]) => Promise<number>)(...keys, ...args)) === 1;
  }

  private async commitTogether(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }> {
    // A command defined for this script at start (defineAlso), else EVAL with the text: a command
    // defined now would be missing from an automatic pipeline already gathering this tick's commands
    // (ioredis copies the commands when it makes one), which then fails and loses its callbacks.
    const name = this.combined.get(also.lua);
    const saving = this.saving(user, lease, messageId, session);
    const keys = [...saving.keys, ...also.keys];
    const args = [...saving.args, ...also.args];
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
    // Keys: lock, session, mark, count, then the AlsoWrite's: their count is given with each call.
    this.r.defineCommand(name, { lua: commitWith(lua) });
    this.combined.set(lua, name);
  }

  async release(user: UserKey, lease: string): Promise<void> {
    const { leaseMs } = this.claimed.take(lease);
    await this.r.waspadaRelease(this.keys.lock(user), lease, restoreMs(leaseMs));
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
  private readonly counts: ExpiringMap<number>;
  private readonly claimed = new Claimed();

  constructor(now: () => number = Date.now) {
    this.data = new ExpiringMap(now);
    this.counts = new ExpiringMap(now);
  }

  begin(user: UserKey, messageId: string, lease: string, leaseMs: number): Promise<Claim | null>;
  begin(user: UserKey, messageId: string, lease: string, leaseMs: number, opts: BeginOptions): Promise<Claim | OverLimit | Behind | null>;
  async begin(user: UserKey, messageId: string, lease: string, leaseMs: number, opts: BeginOptions = {}): Promise<Claim | OverLimit | Behind | null> {
    if (this.data.has(`lock:${user}`)) return null;
    const mark = opts.mark ? `handled:${opts.mark}` : undefined;
    const marked = mark !== undefined && this.data.has(mark);
    const count = opts.count && opts.count.limit > 0 ? opts.count : undefined;
    if (count && !marked && (this.counts.get(user) ?? 0) >= count.limit) {
      if (mark) this.data.set(mark, '1', SEEN_TTL_S * 1000);
      const n = (this.counts.get(user) ?? 0) + 1;
      // The first one over the limit starts the silence.
      this.counts.set(user, n, n === count.limit + 1 ? count.silenceS * 1000 : this.counts.ttl(user));
      return { over: n === count.limit + 1 ? 'warn' : 'silent' };
    }
    this.data.set(`lock:${user}`, lease, leaseMs);
    const { session, handled } = decodeRecord(this.data.get(`session:${user}`));
    this.claimed.put(lease, { handled, mark, count });
    const seen = marked || handled.includes(messageId);
    return this.data.has(`safety:${user}`) ? { lease, session, seen, safetyAsked: true } : { lease, session, seen };
  }

  async askSafety(user: UserKey, on: boolean): Promise<void> {
    if (on) this.data.set(`safety:${user}`, '1', SESSION_TTL_S * 1000);
    else this.data.delete(`safety:${user}`);
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const { handled, mark, count } = this.claimed.take(lease);
    if (this.data.get(`lock:${user}`) !== lease) return false;
    if (session) this.data.set(`session:${user}`, encodeRecord(session, withHandled(handled, messageId)), SESSION_TTL_S * 1000);
    else this.data.delete(`session:${user}`);
    if (mark) this.data.set(mark, '1', SEEN_TTL_S * 1000);
    if (count && session) {
      const n = (this.counts.get(user) ?? 0) + 1;
      this.counts.set(user, n, n === 1 ? count.windowS * 1000 : this.counts.ttl(user));
    }
    this.data.delete(`lock:${user}`);
    return true;
  }

  async release(user: UserKey, lease: string): Promise<void> {
    this.claimed.take(lease);
    if (this.data.get(`lock:${user}`) === lease) this.data.delete(`lock:${user}`);
  }

  async forgetUser(user: UserKey): Promise<void> {
    this.data.deleteWhere((key) => key === `session:${user}` || key === `safety:${user}`);
    this.counts.delete(user);
  }
}
