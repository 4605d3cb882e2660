// The recipient registry: people a platform says can no longer be reached (they blocked the bot,
// deleted their account). One registry for every sender: replies, status pushes, broadcasts. The
// outbox marks people here when a send comes back "gone", refuses proactive messages to them, and
// clears the mark when they write again (or when the platform says they unblocked us).
import type { RedisClient } from '../store/connection.js';
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
  /**
   * Safety mode on or off: while on, the outbox withholds every message the person did not ask for
   * (alerts, status pushes, staff messages). Off also on "delete my data" (the mark names the person).
   */
  setSafety(channel: string, user: string, on: boolean): Promise<void>;
  inSafety(channel: string, user: string): Promise<boolean>;
  /** Safety mode: platform ids of the conversation's messages (the bot's and the person's), to clear it on the exit word. */
  keepTrail(channel: string, user: string, refs: readonly string[]): Promise<void>;
  /** The ids kept of the last TRAIL_TTL_S, newest first (older ones can no longer be deleted: they are dropped). */
  trailOf(channel: string, user: string): Promise<string[]>;
  /** These ids were dealt with (deleted, or cannot be): forgets them. */
  dropTrail(channel: string, user: string, refs: readonly string[]): Promise<void>;
}

/**
 * How long a message id is kept for the exit word: the longest a platform lets a bot delete a private
 * chat's messages (48 hours). At most TRAIL_KEPT (the newest).
 */
export const TRAIL_TTL_S = 48 * 3600;
export const TRAIL_KEPT = 500;

export class RedisRecipients implements Recipients {
  constructor(
    private readonly redis: RedisClient,
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

  async setSafety(channel: string, user: string, on: boolean): Promise<void> {
    const k = this.keys.outbox(channel);
    if (on) await this.redis.sadd(k.safe, user);
    else await this.redis.multi().srem(k.safe, user).del(k.trail(user)).exec();
  }

  async inSafety(channel: string, user: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.outbox(channel).safe, user)) === 1;
  }

  // A sorted set of ids by when they were kept: those past the platform's window are dropped as new
  // ones come, at most TRAIL_KEPT stay (the newest), and the whole set goes when none came for the window.
  async keepTrail(channel: string, user: string, refs: readonly string[]): Promise<void> {
    if (!refs.length) return;
    const key = this.keys.outbox(channel).trail(user);
    const now = this.now();
    await this.redis
      .multi()
      .zadd(key, ...refs.flatMap((r) => [now, r]))
      .zremrangebyscore(key, '-inf', now - TRAIL_TTL_S * 1000)
      .zremrangebyrank(key, 0, -TRAIL_KEPT - 1)
      .expire(key, TRAIL_TTL_S)
      .exec();
  }

  async trailOf(channel: string, user: string): Promise<string[]> {
    return this.redis.zrevrangebyscore(this.keys.outbox(channel).trail(user), '+inf', this.now() - TRAIL_TTL_S * 1000);
  }

  async dropTrail(channel: string, user: string, refs: readonly string[]): Promise<void> {
    if (refs.length) await this.redis.zrem(this.keys.outbox(channel).trail(user), ...refs);
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
  private readonly safe = new Set<string>();

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

  async setSafety(channel: string, user: string, on: boolean): Promise<void> {
    if (on) this.safe.add(`${channel}:${user}`);
    else this.safe.delete(`${channel}:${user}`);
  }

  async inSafety(channel: string, user: string): Promise<boolean> {
    return this.safe.has(`${channel}:${user}`);
  }

  async keepTrail(): Promise<void> {
    // In memory (the terminal chat): nothing to delete afterwards.
  }

  async trailOf(): Promise<string[]> {
    return [];
  }

  async dropTrail(): Promise<void> {}

  async purge(): Promise<number> {
    const before = this.now() - GONE_RETENTION_MS;
    let n = 0;
    for (const [k, at] of this.gone) if (at < before && this.gone.delete(k)) n++;
    return n;
  }
}
