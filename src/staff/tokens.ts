// Bearer tokens of the staff who use the API (src/staff/api.ts). A token is shown once, when it is made;
// Redis keeps only its SHA-256, so a copy of the database does not let anyone in. One token per person:
// a new one replaces the old one.
//
// Redis layout (one hash tag, {staff}: one slot, so each change is one atomic script on Cluster too):
//   tokens   hash: sha256(token) hex → JSON { name, role, createdAt }
//   names    hash: name → sha256(token) hex (to replace or revoke a person's token)
import { keyspace } from '../store/keys.js';
import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import { ROLES, type Role, type Staff } from '../hotline/service.js';

/** A staff name: what the audit log records. */
export const STAFF_NAME = /^[A-Za-z0-9._-]{1,40}$/;
/** A staff member's own chat: "<channel>:<user id>". */
export const STAFF_CHAT = /^[a-z][a-z-]{1,29}:[^\s:]{1,100}$/;
/** wsp_ and 32 random bytes, base64url (43 characters). */
const TOKEN_SHAPE = /^wsp_[A-Za-z0-9_-]{43}$/;

export class BadStaff extends Error {
  constructor(
    readonly field: 'name' | 'role' | 'chat',
    message: string,
  ) {
    super(message);
  }
}

export interface StaffEntry extends Staff {
  createdAt: number;
}

/**
 * create: KEYS[1] tokens, KEYS[2] names; ARGV[1] name, ARGV[2] new hash, ARGV[3] record.
 * Drops the person's old token, stores the new one.
 */
const CREATE = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('HDEL', KEYS[1], old) end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return old and 1 or 0`;

/** revoke: KEYS[1] tokens, KEYS[2] names; ARGV[1] name. 1 when the person had a token. */
const REVOKE = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
if not old then return 0 end
redis.call('HDEL', KEYS[1], old)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

type Scripts = {
  staffTokenCreate(tokens: string, names: string, name: string, hash: string, record: string): Promise<number>;
  staffTokenRevoke(tokens: string, names: string, name: string): Promise<number>;
};

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function checkStaffName(name: string): string {
  if (!STAFF_NAME.test(name)) throw new BadStaff('name', `a staff name is 1 to 40 letters, digits, ".", "_" or "-" (got "${name.slice(0, 60)}")`);
  return name;
}

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new BadStaff('role', `role must be one of ${ROLES.join(', ')} (got "${role.slice(0, 60)}")`);
  return role as Role;
}

export class StaffTokens {
  private readonly r: RedisClient & Scripts;
  private readonly tokensKey: string;
  private readonly namesKey: string;

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('staffTokenCreate', { numberOfKeys: 2, lua: CREATE });
    redis.defineCommand('staffTokenRevoke', { numberOfKeys: 2, lua: REVOKE });
    this.r = redis as RedisClient & Scripts;
    const keys = keyspace(prefix);
    this.tokensKey = keys.staffTokens;
    this.namesKey = keys.staffNames;
  }

  /** A new token for `name` (shown once); their old token stops working. `chat`: their own chat, for campaign test sends. */
  async create(name: string, role: string, chat?: string): Promise<string> {
    if (chat !== undefined && !STAFF_CHAT.test(chat)) throw new BadStaff('chat', `a chat is CHANNEL:USER, the channel's name and the person's id there (got "${chat.slice(0, 60)}")`);
    const staff: StaffEntry = { name: checkStaffName(name), role: checkRole(role), createdAt: this.now(), ...(chat ? { chat } : {}) };
    const token = `wsp_${randomBytes(32).toString('base64url')}`;
    await this.r.staffTokenCreate(this.tokensKey, this.namesKey, staff.name, sha256(token), JSON.stringify(staff));
    return token;
  }

  /** Who a token belongs to, or null (unknown, revoked, replaced or malformed). */
  async verify(token: string): Promise<Staff | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const raw = await this.r.hget(this.tokensKey, sha256(token));
    if (!raw) return null;
    const e = JSON.parse(raw) as StaffEntry;
    if (!STAFF_NAME.test(e.name) || !(ROLES as readonly string[]).includes(e.role)) return null;
    return { name: e.name, role: e.role, ...(e.chat && STAFF_CHAT.test(e.chat) ? { chat: e.chat } : {}) };
  }

  /** Ends a person's token; false when they had none. */
  async revoke(name: string): Promise<boolean> {
    return (await this.r.staffTokenRevoke(this.tokensKey, this.namesKey, checkStaffName(name))) === 1;
  }

  /** Everyone with a token: names, roles, when it was made (never the tokens). */
  async list(): Promise<StaffEntry[]> {
    const all = await this.r.hvals(this.tokensKey);
    return all
      .map((raw) => JSON.parse(raw) as StaffEntry)
      .map(({ name, role, createdAt }) => ({ name, role, createdAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
