// The recipient registry: people a platform says can no longer be reached (they blocked the bot,
// deleted their account). One registry for every sender: replies, status pushes, broadcasts. The
// outbox marks people here when a send comes back "gone", refuses proactive messages to them, and
// clears the mark when they write again (or when the platform says they unblocked us).
import type { Redis } from 'ioredis';
import type { Keyspace } from '../store/keys.js';

/** How long a "gone" mark is kept: as long as a session would be, never longer than the privacy notice says. */
export const GONE_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface Recipients {
  markGone(channel: string, user: string): Promise<void>;
  /** They wrote again or unblocked us. Also "delete my data": the mark names the person. */
  markReachable(channel: string, user: string): Promise<void>;
  /** Since when the person is gone (ms), or null. */
  goneSince(channel: string, user: string): Promise<number | null>;
  /** Drops marks older than the retention; returns how many. */
  purge(channels: readonly string[]): Promise<number>;
}

export class RedisRecipients implements Recipients {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
    private readonly now: () => number = Date.now,
  ) {}

  async markGone(channel: string, user: string): Promise<void> {
    await this.redis.zadd(this.keys.outbox(channel).gone, this.now(), user);
  }

  async markReachable(channel: string, user: string): Promise<void> {
    await this.redis.zrem(this.keys.outbox(channel).gone, user);
  }

  async goneSince(channel: string, user: string): Promise<number | null> {
    const score = await this.redis.zscore(this.keys.outbox(channel).gone, user);
    return score === null ? null : Number(score);
  }

  async purge(channels: readonly string[]): Promise<number> {
    const before = this.now() - GONE_RETENTION_MS;
    const removed = await Promise.all(channels.map((c) => this.redis.zremrangebyscore(this.keys.outbox(c).gone, '-inf', before)));
    return removed.reduce((a, b) => a + b, 0);
  }
}

/** The same registry in memory (the demo and the terminal chat keep nothing). */
export class MemoryRecipients implements Recipients {
  private readonly gone = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async markGone(channel: string, user: string): Promise<void> {
    this.gone.set(`${channel}:${user}`, this.now());
  }

  async markReachable(channel: string, user: string): Promise<void> {
    this.gone.delete(`${channel}:${user}`);
  }

  async goneSince(channel: string, user: string): Promise<number | null> {
    return this.gone.get(`${channel}:${user}`) ?? null;
  }

  async purge(): Promise<number> {
    const before = this.now() - GONE_RETENTION_MS;
    let n = 0;
    for (const [k, at] of this.gone) if (at < before && this.gone.delete(k)) n++;
    return n;
  }
}
