// A Bot API that answers after more than 30 seconds: the message is waited for, not sent a second
// time, and other people's replies do not wait behind it.
import { describe, expect, it } from 'vitest';
import { startHarness, textUpdate } from '../helpers/telegram.js';

describe('a slow Bot API answer', () => {
  it('an answer that takes 31 s is waited for: the message is sent once, and other chats go on meanwhile', async () => {
    const h = await startHarness();
    try {
      h.fake.delayNext('sendMessage', 1, 31_000);
      await h.post(textUpdate(450_001, 'tolong'));
      await h.fake.waitFor(() => h.fake.sent(450_001).length === 1);
      // Someone else is answered while the first answer is still on its way.
      await h.post(textUpdate(450_002, 'tolong'));
      expect(await h.until(450_002, 1)).toHaveLength(1);
      await expect.poll(async () => (await h.app.outbox.counts()).telegram!.sent, { timeout: 40_000, interval: 500 }).toBe(2);
      await new Promise((r) => setTimeout(r, 1000));
      expect(h.fake.sent(450_001)).toHaveLength(1);
      expect((await h.app.outbox.counts()).telegram).toMatchObject({ retried: 0, pending: 0 });
    } finally {
      await h.close();
    }
  }, 60_000);
});
