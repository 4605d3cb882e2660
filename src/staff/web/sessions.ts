// Browser sessions of the staff console, in Redis. The cookie holds a random 32-byte id; Redis keeps
// only its SHA-256 as the key name, so a copy of the database lets nobody in. A session lasts 8 hours
// at most and ends after 30 minutes without a request. A visitor who has not signed in gets a session
// too (anonymous: no name), for the CSRF token of the sign-in and welcome forms; signing in replaces it
// with a new one (a new id: a session id seen before sign-in is worth nothing after).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from '../../store/connection.js';
import { keyspace } from '../../store/keys.js';

export const SESSION_MAX_MS = 8 * 3600_000;
export const SESSION_IDLE_MS = 30 * 60_000;
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ConsoleSession {
  /** The cookie's value (never stored). */
  id: string;
  /** Who signed in, and the account's epoch then; absent before sign-in. */
  name?: string;
  epoch?: number;
  /** The synchronizer token every POST of this session carries. */
  csrf: string;
  createdAt: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Whether two tokens are equal, in time that does not depend on where they differ. */
export function sameToken(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length > 0;
}

export class ConsoleSessions {
  private readonly key: (hash: string) => string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = keyspace(prefix).staffConsole.session;
  }

  async create(who?: { name: string; epoch: number }): Promise<ConsoleSession> {
    const s: ConsoleSession = { id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), createdAt: this.now(), ...(who ?? {}) };
    const fields: Record<string, string> = { csrf: s.csrf, createdAt: String(s.createdAt) };
    if (who) Object.assign(fields, { name: who.name, epoch: String(who.epoch) });
    await this.redis.multi().hset(this.key(sha256(s.id)), fields).pexpire(this.key(sha256(s.id)), SESSION_IDLE_MS).exec();
    return s;
  }

  /** The session of a cookie's id, its idle time started again; null when unknown or past either limit. */
  /** `touch` false: reading it does not count as activity (an automatic refresh of an open page). */
  async get(id: string, touch = true): Promise<ConsoleSession | null> {
    if (!ID_SHAPE.test(id)) return null;
    const key = this.key(sha256(id));
    const f = await this.redis.hgetall(key);
    if (!f.csrf || !f.createdAt) return null;
    const createdAt = Number(f.createdAt);
    const left = createdAt + SESSION_MAX_MS - this.now();
    if (left <= 0) {
      await this.redis.del(key);
      return null;
    }
    if (touch) await this.redis.pexpire(key, Math.min(SESSION_IDLE_MS, left));
    return { id, csrf: f.csrf, createdAt, ...(f.name ? { name: f.name, epoch: Number(f.epoch) } : {}) };
  }

  async destroy(id: string): Promise<void> {
    if (ID_SHAPE.test(id)) await this.redis.del(this.key(sha256(id)));
  }
}
