import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/channels/ratelimit.js';

describe('token bucket', () => {
  it('lets a burst through, then one message per interval', () => {
    const b = new TokenBucket(1, 3, 0);
    for (let i = 0; i < 3; i++) {
      expect(b.waitMs(0)).toBe(0);
      b.take(0);
    }
    expect(b.waitMs(0)).toBe(1000);
    expect(b.waitMs(400)).toBe(600);
    expect(b.waitMs(1000)).toBe(0);
  });

  it('after a 429 nothing goes until the time the platform named', () => {
    const b = new TokenBucket(30, 30, 0);
    b.pauseUntil(5000);
    expect(b.waitMs(1000)).toBe(4000 + 34);
    expect(b.waitMs(5034)).toBe(0);
  });

  it('an unlimited bucket never waits', () => {
    const b = new TokenBucket(Infinity, 1, 0);
    for (let i = 0; i < 100; i++) b.take(0);
    expect(b.waitMs(0)).toBe(0);
  });

  it('is idle once refilled', () => {
    const b = new TokenBucket(1, 2, 0);
    b.take(0);
    expect(b.idle(500)).toBe(false);
    expect(b.idle(1000)).toBe(true);
  });
});
