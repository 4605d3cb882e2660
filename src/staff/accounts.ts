// Staff accounts of the web console (src/staff/web/): one per person, with a role (agent, campaign,
// admin) and a password set by the person through a one-time sign-in link. There is no default
// password: an account starts without one, and an account without a password cannot sign in.
//
// Passwords: scrypt (N = 2^15, r = 8, p = 1: 32 MiB and some tens of ms a try), a random salt per
// account, the parameters stored with the hash ("scrypt$15$8$1$salt$hash") so that they can be raised
// later (an account is re-hashed with the current ones at its next sign-in), compared in constant time.
// Lock-out: 5 failed sign-ins for a name within 15 minutes lock it for 15 minutes, known name or not,
// so the answer never tells whether a name exists; an unknown name costs the same scrypt as a known one.
// Links: a random token whose SHA-256 alone is stored, for 24 hours, used once.
//
// Redis layout (keyspace().staffConsole, under the {staff} hash tag of the API tokens):
//   accounts       hash: name → JSON Account
//   fail:<name>    count of failed sign-ins (expires 15 minutes after the first)
//   lock:<name>    set while the name is locked (expires after 15 minutes)
//   link:<sha256>  name, for 24 hours; linkof: name → the hash of their current link
//   audit          stream: every change to an account, by whom (src/staff/audit.ts); `by` below is
//                  the staff name, or "cli:<login>" for `npm run staff`
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import type { Role, Staff } from '../hotline/service.js';
import { keyspace } from '../store/keys.js';
import { AccountAudit } from './audit.js';
import { checkRole, checkStaffName, STAFF_NAME } from './tokens.js';

export const MIN_PASSWORD = 12;
/** Longer is refused before hashing (a very long password would only cost CPU). */
export const MAX_PASSWORD = 1024;
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const LINK_TTL_MS = 24 * 3600_000;

/** The scrypt cost used for new hashes: log2 N, r, p. */
export const SCRYPT = { logN: 15, r: 8, p: 1 } as const;
const KEY_LEN = 32;

export interface Account {
  name: string;
  role: Role;
  createdAt: number;
  /** "scrypt$logN$r$p$salt$hash" (base64url), or null until the person set one. */
  password: string | null;
  disabled: boolean;
  /** Raised whenever the password is set or the account disabled: sessions of an older epoch end. */
  epoch: number;
  /** The person's own chat, set by them ("my account"): the only one their console test sends go to. */
  testChat?: TestChat | null;
}

/** A chat of one's own, for campaign test sends. */
export interface TestChat {
  channel: string;
  user: string;
}

/** A chat id as platforms give them: a number (a chat or a phone number), an id with @, . or - in it. */
export const TEST_CHAT_USER = /^[A-Za-z0-9_.@+-]{1,100}$/;

/** What an admin may see of an account. */
export interface AccountInfo {
  name: string;
  role: Role;
  createdAt: number;
  state: 'active' | 'no-password' | 'disabled';
}

export type SignIn = { ok: true; staff: Staff; epoch: number } | { ok: false; reason: 'invalid' | 'locked' };

export class AccountError extends Error {
  constructor(
    readonly reason: 'exists' | 'unknown' | 'short' | 'long' | 'link' | 'chat',
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  // 128 * N * r bytes, and some room.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, KEY_LEN, options, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.logN, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.logN, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false for anything malformed (never throws on stored data). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, logN, r, p, salt, hash] = stored.split('$');
  const n = Number(logN), rr = Number(r), pp = Number(p);
  if (kind !== 'scrypt' || !salt || !hash || ![n, rr, pp].every(Number.isInteger) || n < 10 || n > 20 || rr < 1 || rr > 32 || pp < 1 || pp > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), n, rr, pp);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** Whether a stored hash was made with weaker parameters than today's. */
const outdated = (stored: string) => {
  const [, logN, r, p] = stored.split('$');
  return Number(logN) < SCRYPT.logN || Number(r) < SCRYPT.r || Number(p) < SCRYPT.p;
};

/** The reason a new password is refused, or null. */
export function passwordProblem(password: string): 'short' | 'long' | null {
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD) return 'short';
  if (password.length > MAX_PASSWORD) return 'long';
  return null;
}

/** Throws an AccountError for a password too short or too long. */
export function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new AccountError(problem, problem === 'short' ? `a password has at least ${MIN_PASSWORD} characters` : `a password has at most ${MAX_PASSWORD} characters`);
}

/**
 * fail: KEYS[1] failures, KEYS[2] lock; ARGV[1] window ms, ARGV[2] max failures, ARGV[3] lock ms.
 * Counts one failure; locks the name at the max (and starts the count again). 1 when now locked.
 */
const FAIL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

/** link: KEYS[1] linkof, KEYS[2] new link key; ARGV[1] name, ARGV[2] new hash, ARGV[3] ttl ms, ARGV[4] link key base. */
const LINK = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then redis.call('DEL', ARGV[4] .. old) end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** use link: KEYS[1] linkof, KEYS[2] link key; ARGV[1] hash. The name, once (the link is gone after). */
const USE_LINK = `
local name = redis.call('GETDEL', KEYS[2])
if not name then return false end
if redis.call('HGET', KEYS[1], name) == ARGV[1] then redis.call('HDEL', KEYS[1], name) end
return name`;

type Scripts = {
  consoleFail(failures: string, lock: string, windowMs: number, max: number, lockMs: number): Promise<number>;
  consoleLink(linkOf: string, link: string, name: string, hash: string, ttlMs: number, base: string): Promise<number>;
  consoleUseLink(linkOf: string, link: string, hash: string): Promise<string | null>;
  consoleTestChat(accounts: string, name: string, channel: string, user: string): Promise<number>;
};

/**
 * test chat: KEYS[1] accounts; ARGV[1] name, ARGV[2] channel, ARGV[3] user. Sets only the account's
 * testChat, in one step (a disable or a new password at the same moment is never undone); 0 without
 * the account. (cjson keeps 14 significant digits: a time in ms fits until the year 5138.)
 */
const TEST_CHAT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local a = cjson.decode(raw)
a.testChat = { channel = ARGV[2], user = ARGV[3] }
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(a))
return 1`;

/** A link token: 32 random bytes, base64url (43 characters). */
const LINK_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export class StaffAccounts {
  private readonly r: RedisClient & Scripts;
  private readonly keys: ReturnType<typeof keyspace>['staffConsole'];
  /** What an unknown name's password is checked against, so that it costs what a known one does. */
  private dummy: Promise<string> | undefined;
  /** Every change made here is written to it. */
  readonly audit: AccountAudit;

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.audit = new AccountAudit(redis, prefix, now);
    redis.defineCommand('consoleFail', { numberOfKeys: 2, lua: FAIL });
    redis.defineCommand('consoleLink', { numberOfKeys: 2, lua: LINK });
    redis.defineCommand('consoleUseLink', { numberOfKeys: 2, lua: USE_LINK });
    redis.defineCommand('consoleTestChat', { numberOfKeys: 1, lua: TEST_CHAT });
    this.r = redis as RedisClient & Scripts;
    this.keys = keyspace(prefix).staffConsole;
  }

  async get(name: string): Promise<Account | null> {
    if (!name) return null;
    const raw = await this.r.hget(this.keys.accounts, name);
    return raw ? (JSON.parse(raw) as Account) : null;
  }

  private async put(a: Account): Promise<void> {
    await this.r.hset(this.keys.accounts, a.name, JSON.stringify(a));
  }

  /** A new account, without a password; returns its one-time sign-in link token. */
  async add(name: string, role: string, by = 'unknown'): Promise<string> {
    const a: Account = { name: checkStaffName(name), role: checkRole(role), createdAt: this.now(), password: null, disabled: false, epoch: 1 };
    const added = await this.r.hsetnx(this.keys.accounts, a.name, JSON.stringify(a));
    if (!added) throw new AccountError('exists', `there is already an account named ${a.name} (reset-link gives them a new sign-in link)`);
    await this.audit.record({ by, action: 'account-added', account: a.name, detail: a.role });
    return this.link(a.name);
  }

  /** A new one-time sign-in link for an existing account (the previous link stops working); it re-enables a disabled account. */
  async resetLink(name: string, by = 'unknown'): Promise<string> {
    const a = await this.get(checkStaffName(name));
    if (!a) throw new AccountError('unknown', `there is no account named ${name}`);
    if (a.disabled) await this.put({ ...a, disabled: false });
    await this.audit.record({ by, action: 'link-issued', account: a.name, ...(a.disabled ? { detail: 'enabled' } : {}) });
    return this.link(a.name);
  }

  private async link(name: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = sha256(token);
    await this.r.consoleLink(this.keys.linkOf, this.keys.link(hash), name, hash, LINK_TTL_MS, this.keys.link(''));
    return token;
  }

  /** The account a link is for, without using it up; null when unknown, used or expired. */
  async linkFor(token: string): Promise<Account | null> {
    if (!LINK_SHAPE.test(token)) return null;
    const name = await this.r.get(this.keys.link(sha256(token)));
    const a = name ? await this.get(name) : null;
    return a && !a.disabled ? a : null;
  }

  /** Sets the password through a link (used up by this); the account's other sessions end. */
  async setPasswordWithLink(token: string, password: string): Promise<{ staff: Staff; epoch: number }> {
    checkPassword(password);
    const hash = sha256(token);
    const name = LINK_SHAPE.test(token) ? await this.r.consoleUseLink(this.keys.linkOf, this.keys.link(hash), hash) : null;
    const a = name ? await this.get(name) : null;
    if (!a || a.disabled) throw new AccountError('link', 'the sign-in link is not valid (used, replaced or expired)');
    const updated: Account = { ...a, password: await hashPassword(password), epoch: a.epoch + 1 };
    await this.put(updated);
    await this.r.del(this.keys.failures(a.name), this.keys.lock(a.name));
    await this.audit.record({ by: a.name, action: 'password-set', account: a.name, detail: 'link' });
    return { staff: { name: a.name, role: a.role }, epoch: updated.epoch };
  }

  /** Sets a password directly (the CLI's --password-stdin). */
  async setPassword(name: string, password: string, by = 'unknown'): Promise<void> {
    checkPassword(password);
    const a = await this.get(checkStaffName(name));
    if (!a) throw new AccountError('unknown', `there is no account named ${name}`);
    await this.put({ ...a, password: await hashPassword(password), disabled: false, epoch: a.epoch + 1 });
    await this.audit.record({ by, action: 'password-set', account: a.name });
  }

  /** Ends an account: no sign-in, its sessions end at once, its link stops working. False when there is none. */
  async disable(name: string, by = 'unknown'): Promise<boolean> {
    const a = await this.get(checkStaffName(name));
    if (!a) return false;
    await this.put({ ...a, disabled: true, password: null, epoch: a.epoch + 1 });
    const hash = await this.r.hget(this.keys.linkOf, a.name);
    if (hash) await this.r.del(this.keys.link(hash));
    await this.r.hdel(this.keys.linkOf, a.name);
    await this.audit.record({ by, action: 'account-disabled', account: a.name });
    return true;
  }

  /**
   * Sets (or changes) the person's own test chat, audited with its channel (never the chat's id). Only
   * this field is written, in one script: a concurrent disable or password change is never undone.
   */
  async setTestChat(name: string, chat: TestChat, by = name): Promise<void> {
    if (!TEST_CHAT_USER.test(chat.user)) throw new AccountError('chat', 'a chat id is 1 to 100 letters, digits and _ . @ + -');
    const known = await this.r.consoleTestChat(this.keys.accounts, checkStaffName(name), chat.channel, chat.user);
    if (!known) throw new AccountError('unknown', `there is no account named ${name}`);
    await this.audit.record({ by, action: 'test-chat-set', account: name, detail: chat.channel });
  }

  /**
   * Checks a name and password. Unknown names, accounts without a password and disabled ones get the
   * same answer, after the same work, as a wrong password; every failure counts toward the lock.
   */
  async signIn(name: string, password: string): Promise<SignIn> {
    const shaped = STAFF_NAME.test(name) ? name : null;
    // Names of another shape cannot exist: their failures are counted under one key.
    const who = shaped ?? '?';
    if (await this.r.exists(this.keys.lock(who))) return { ok: false, reason: 'locked' };
    const a = shaped ? await this.get(shaped) : null;
    const usable = a && !a.disabled && a.password && password.length <= MAX_PASSWORD ? a : null;
    this.dummy ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(password.slice(0, MAX_PASSWORD), usable?.password ?? (await this.dummy));
    if (!usable || !ok) {
      const locked = await this.r.consoleFail(this.keys.failures(who), this.keys.lock(who), FAILURE_WINDOW_MS, MAX_FAILURES, LOCK_MS);
      return { ok: false, reason: locked ? 'locked' : 'invalid' };
    }
    await this.r.del(this.keys.failures(usable.name));
    if (outdated(usable.password!)) await this.put({ ...usable, password: await hashPassword(password) });
    return { ok: true, staff: { name: usable.name, role: usable.role }, epoch: usable.epoch };
  }

  /** Who a session of `epoch` belongs to now, or null (the account was disabled or its password changed since). */
  async current(name: string, epoch: number): Promise<Staff | null> {
    const a = await this.get(name);
    if (!a || a.disabled || !a.password || a.epoch !== epoch) return null;
    return { name: a.name, role: a.role, ...(a.testChat ? { chat: `${a.testChat.channel}:${a.testChat.user}` } : {}) };
  }

  async list(): Promise<AccountInfo[]> {
    const all = Object.values(await this.r.hgetall(this.keys.accounts)).map((raw) => JSON.parse(raw) as Account);
    return all
      .map(({ name, role, createdAt, password, disabled }): AccountInfo => ({ name, role, createdAt, state: disabled ? 'disabled' : password ? 'active' : 'no-password' }))
      .sort((x, y) => x.name.localeCompare(y.name));
  }
}
