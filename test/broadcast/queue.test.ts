// The campaign queue's own connections (BullMQ): a command that opens and closes them at once (an
// opt-out from the CLI takes milliseconds) must leave nothing behind, no rejection reaching nobody.
import { afterAll, describe, expect, it } from 'vitest';
import { CampaignQueue } from '../../src/broadcast/queue.js';
import { dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';

describe('the campaign queue', () => {
  const prefix = testPrefix('bcqueue');
  afterAll(async () => {
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  it('closed while its connection is still starting, leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      // Closing after 0-8 ms lands in every phase of BullMQ's start-up (connect, CLIENT SETNAME, INFO).
      for (const wait of [0, 1, 2, 3, 5, 8]) {
        for (let i = 0; i < 5; i++) {
          const q = new CampaignQueue(REDIS_URL, prefix);
          void q.queue;
          await new Promise((r) => setTimeout(r, wait));
          await q.close();
        }
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('never used (an import, an opt-out), closes without touching Redis, even one that does not answer', async () => {
    const q = new CampaignQueue('redis://127.0.0.1:1', prefix);
    await q.close();
  });
});
