// Token buckets: how many messages may go out now, per chat and overall. Time is passed in, so the
// logic is tested without waiting.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
    }
  }

  /** Milliseconds until one token is available (0: now). */
  waitMs(now: number): number {
    if (!Number.isFinite(this.perSecond)) return 0;
    this.refill(now);
    const paused = Math.max(0, this.last - now);
    return this.tokens >= 1 ? paused : paused + Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  take(now: number): void {
    if (!Number.isFinite(this.perSecond)) return;
    this.refill(now);
    this.tokens -= 1;
  }

  /** The platform asked us to wait (HTTP 429): no tokens until then. */
  pauseUntil(until: number): void {
    this.tokens = 0;
    this.last = Math.max(this.last, until);
  }

  /** Full again: a bucket in this state can be forgotten. */
  idle(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}
