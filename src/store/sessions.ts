// Sessions: one user's conversation state and the ids of the last messages already handled (kept in
// the same sealed record as the session, so a message handled again after a crash is recognised at no
// extra cost). Changes are compare-and-set: a session is read with its version, and saved only if
// nobody saved it meanwhile (another process handling the same person's other message); otherwise
// the message is handled again on the newer session. No lock: a process that dies holds nothing up.
// Redis (production, tests) and memory (the demo); one contract suite
// (test/store/sessions.contract.ts) runs against both.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Session } from '../engine/types.js';
import type { AlsoWrite } from './atomic.js';
import { CipherError, type DataCipher } from './cipher.js';
import { ExpiringMap } from './expiring.js';
import { requestAofRewrite } from './maintenance.js';
import type { Keyspace, UserKey } from './keys.js';

export interface Claim {
  /** Names this read of the session: pass it to commit (which saves only if nobody saved since) or release. */
  lease: string;
  session: Session | null;
  /** This message id was handled before (a re-delivery). */
  seen: boolean;
}

export interface SessionStore {
  /** Reads the user's session (and its version) and whether this message was handled already. */
  begin(user: UserKey, messageId: string, lease: string): Promise<Claim>;
  /**
   * Atomically saves the session (or erases it when null) and marks the message handled, if the
   * session is still as `begin` read it. Returns false, changing nothing, when it was saved since.
   */
  commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean>;
  /**
   * The same, and `also` in the same script (both or neither). Absent where that cannot be done (in
   * memory; on Redis Cluster): the caller does the two one after the other.
   */
  commitWith?(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }>;
  /** Prepares commitWith for an AlsoWrite script, at start (see RedisSessionStore.defineAlso). */
  defineAlso?(lua: string): void;
  /** Forgets a read that will not be committed. */
  release(user: UserKey, lease: string): Promise<void>;
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

/** The version a stored session carries when there is none ('-') or it predates versions (''). */
const NONE = '-';

/**
 * What each read (by lease) found, until its commit or release: the handled ids and the version. A
 * read whose holder neither commits nor releases (Redis away) is dropped after a while.
 */
class Claimed {
  private readonly byLease = new Map<string, { handled: string[]; version: string; at: number }>();
  put(lease: string, handled: string[], version: string): void {
    if (this.byLease.size > 10_000) {
      const old = Date.now() - 120_000;
      for (const [k, v] of this.byLease) if (v.at < old) this.byLease.delete(k);
    }
    this.byLease.set(lease, { handled, version, at: Date.now() });
  }
  take(lease: string): { handled: string[]; version: string } {
    const got = this.byLease.get(lease);
    this.byLease.delete(lease);
    // A lease never read (or forgotten) matches no version: its commit changes nothing.
    return got ?? { handled: [], version: '\u0000' };
  }
}

/** A new version: random, so a session erased and started again never repeats an old one. */
const newVersion = () => randomBytes(6).toString('base64url');

/** "v<version>:<sealed record>" → its version and the sealed record ('' version: stored before versions). */
function splitStored(raw: string): { version: string; sealed: string } {
  if (raw.charCodeAt(0) === 118 /* v */) {
    const colon = raw.indexOf(':');
    if (colon > 0) return { version: raw.slice(1, colon), sealed: raw.slice(colon + 1) };
  }
  return { version: '', sealed: raw };
}

/**
 * commit: KEYS[1] session; ARGV[1] the version read ('-': there was none), ARGV[2] the new stored value
 * ("v<version>:<sealed record>"; '' erases it: no key names the person afterwards), ARGV[3] ttl s.
 * Saves only if the session is still at the version read; an erasure ("delete my data", which may
 * have deleted the session already in its effect) always goes through.
 */
const UNCHANGED = `
local cur = redis.call('GET', KEYS[1])
local ver = '${NONE}'
if cur then ver = string.match(cur, '^v([^:]*):') or '' end`;
const SAVE = `
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end`;
const COMMIT = `${UNCHANGED}
if ARGV[2] ~= '' and ver ~= ARGV[1] then return 0 end${SAVE}
return 1`;

/** commit, then another module's write (AlsoWrite) from KEYS[2] and ARGV[4]: returns {0} or {1, its answer}. */
const commitWith = (also: string) => `${also}${UNCHANGED}
if ARGV[2] ~= '' and ver ~= ARGV[1] then return {0} end${SAVE}
return {1, also(2, 4)}`;

type Scripts = {
  waspadaCommit(session: string, version: string, stored: string, ttl: number): Promise<number>;
};

export class RedisSessionStore implements SessionStore {
  private readonly r: Redis & Scripts;
  /** Commands defined for each AlsoWrite script (by its text; its keys are as many each time). */
  private readonly combined = new Map<string, string>();
  private readonly claimed = new Claimed();

  constructor(
    redis: Redis,
    private readonly keys: Keyspace,
    /** Seals sessions before they are stored (they may hold what a person wrote). */
    private readonly cipher: DataCipher,
  ) {
    redis.defineCommand('waspadaCommit', { numberOfKeys: 1, lua: COMMIT });
    this.r = redis as Redis & Scripts;
  }

  async begin(user: UserKey, messageId: string, lease: string): Promise<Claim> {
    const raw = await this.r.get(this.keys.session(user));
    const { version, sealed } = raw === null ? { version: NONE, sealed: '' } : splitStored(raw);
    const { session, handled } = this.open(sealed);
    this.claimed.put(lease, handled, version);
    return { lease, session, seen: handled.includes(messageId) };
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

  /** The version read, and the value to store: "v<new version>:<sealed record>" ('' erases). */
  private seal(lease: string, messageId: string, session: Session | null): { version: string; stored: string } {
    const { handled, version } = this.claimed.take(lease);
    return { version, stored: session ? `v${newVersion()}:${this.cipher.seal(encodeRecord(session, withHandled(handled, messageId)))}` : '' };
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const { version, stored } = this.seal(lease, messageId, session);
    return (await this.r.waspadaCommit(this.keys.session(user), version, stored, SESSION_TTL_S)) === 1;
  }

  async commitWith(user: UserKey, lease: string, messageId: string, session: Session | null, also: AlsoWrite): Promise<{ saved: boolean; also: string | null }> {
    // A command defined for this script at start (defineAlso), else EVAL with the text: a command
    // defined now would be missing from an automatic pipeline already gathering this tick's commands
    // (ioredis copies the commands when it makes one), which then fails and loses its callbacks.
    const name = this.combined.get(also.lua);
    const k = this.keys;
    const { version, stored } = this.seal(lease, messageId, session);
    const keys = [k.session(user), ...also.keys];
    const args = [version, stored, SESSION_TTL_S, ...also.args];
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
  defineAlso(lua: string): void {
    if (this.combined.has(lua)) return;
    const name = `waspadaCommitWith${this.combined.size}`;
    // Keys: the session, then the AlsoWrite's: their count is given with each call.
    this.r.defineCommand(name, { lua: commitWith(lua) });
    this.combined.set(lua, name);
  }

  async release(_user: UserKey, lease: string): Promise<void> {
    this.claimed.take(lease);
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

  async begin(user: UserKey, messageId: string, lease: string): Promise<Claim> {
    const raw = this.data.get(`session:${user}`);
    const { version, sealed } = raw === undefined ? { version: NONE, sealed: '' } : splitStored(raw);
    const { session, handled } = decodeRecord(sealed);
    this.claimed.put(lease, handled, version);
    return { lease, session, seen: handled.includes(messageId) };
  }

  async commit(user: UserKey, lease: string, messageId: string, session: Session | null): Promise<boolean> {
    const { handled, version } = this.claimed.take(lease);
    const raw = this.data.get(`session:${user}`);
    if (session && (raw === undefined ? NONE : splitStored(raw).version) !== version) return false;
    if (session) this.data.set(`session:${user}`, `v${newVersion()}:${encodeRecord(session, withHandled(handled, messageId))}`, SESSION_TTL_S * 1000);
    else this.data.delete(`session:${user}`);
    return true;
  }

  async release(_user: UserKey, lease: string): Promise<void> {
    this.claimed.take(lease);
  }

  async forgetUser(user: UserKey): Promise<void> {
    this.data.deleteWhere((key) => key === `session:${user}`);
  }
}
