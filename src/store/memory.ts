// In-memory store with the same behaviour as the Redis one. Used by the demo only: nothing survives a restart.
import type { Session } from '../engine/types.js';
import type { UserKey } from './keys.js';
import { decodeSession, encodeSession, SEEN_TTL_S, SESSION_TTL_S, type Claim, type RecruiterCount, type Store } from './store.js';

interface Entry {
  value: string;
  expires: number;
}

export class MemoryStore implements Store {
  private readonly data = new Map<string, Entry>();
  private readonly recruiters = new Map<string, Set<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  private get(key: string): string | undefined {
    const e = this.data.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e.value;
  }

  private put(key: string, value: string, ttlMs: number): void {
    this.data.set(key, { value, expires: this.now() + ttlMs });
  }

  async begin(user: UserKey, messageId: string, token: string, lockMs: number): Promise<Claim | null> {
    if (this.get(`lock:${user}`) !== undefined) return null;
    this.put(`lock:${user}`, token, lockMs);
    return { token, session: decodeSession(this.get(`session:${user}`)), seen: this.get(`seen:${user}:${messageId}`) !== undefined };
  }

  async commit(user: UserKey, token: string, messageId: string, session: Session | null): Promise<boolean> {
    if (this.get(`lock:${user}`) !== token) return false;
    if (session) this.put(`session:${user}`, encodeSession(session), SESSION_TTL_S * 1000);
    else this.data.delete(`session:${user}`);
    this.put(`seen:${user}:${messageId}`, '1', SEEN_TTL_S * 1000);
    this.data.delete(`lock:${user}`);
    return true;
  }

  async release(user: UserKey, token: string): Promise<void> {
    if (this.get(`lock:${user}`) === token) this.data.delete(`lock:${user}`);
  }

  async forgetUser(user: UserKey): Promise<void> {
    for (const key of [...this.data.keys()]) {
      if (key === `session:${user}` || key.startsWith(`seen:${user}:`)) this.data.delete(key);
    }
  }

  async recruiterCounts(hashes: string[], source: string): Promise<RecruiterCount[]> {
    const members = (key: string) => this.recruiters.get(key) ?? new Set<string>();
    const others = (set: Set<string>) => set.size - (set.has(source) ? 1 : 0);
    return hashes.map((h) => {
      const warned = members(`${h}:warned`);
      const reported = members(`${h}:reported`);
      return { warned: others(warned), reported: others(reported), people: others(new Set([...warned, ...reported])) };
    });
  }

  async recordRecruiters(kind: 'warned' | 'reported', hashes: string[], source: string): Promise<void> {
    for (const h of hashes) {
      const key = `${h}:${kind}`;
      if (!this.recruiters.has(key)) this.recruiters.set(key, new Set());
      this.recruiters.get(key)!.add(source);
    }
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.data.clear();
  }
}
