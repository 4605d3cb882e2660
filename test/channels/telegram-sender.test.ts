import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiSender, renderTelegram, TelegramSender } from '../../src/channels/telegram.js';
import { Agent } from 'node:http';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { TOKEN } from '../helpers/telegram.js';

describe('Telegram sender against the fake Bot API', () => {
  let fake: FakeTelegram;
  let api: BotApiSender;
  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    api = new BotApiSender(TOKEN, fake.apiRoot, new Agent({ keepAlive: true }));
  });
  afterAll(async () => {
    await fake.close();
  });

  it('retries after Telegram answers 500, with growing pauses, and the message arrives once', async () => {
    const pauses: number[] = [];
    const sender = new TelegramSender(api, { perChat: 1000, global: 1000, sleep: async (ms) => void pauses.push(ms) });
    fake.failNext('sendMessage', 2, { code: 500 });
    await sender.send(61, renderTelegram({ text: 'halo' }));
    expect(fake.sent(61).map((m) => m.text)).toEqual(['halo']);
    expect(pauses).toEqual([500, 1000]);
    expect(sender.stats).toMatchObject({ sent: 1, failed: 0 });
  });

  it('gives up on a message Telegram refuses as bad (400) without retrying, and goes on with the next', async () => {
    const sender = new TelegramSender(api, { perChat: 1000, global: 1000 });
    fake.failNext('sendMessage', 1, { code: 400, description: 'Bad Request: chat not found' });
    await sender.send(62, [...renderTelegram({ text: 'one' }), ...renderTelegram({ text: 'two' })]);
    expect(fake.sent(62).map((m) => m.text)).toEqual(['two']);
    expect(sender.stats).toMatchObject({ sent: 1, failed: 1 });
  });

  it('a blocked chat is reported once and its remaining messages are dropped', async () => {
    const blocked: number[] = [];
    const sender = new TelegramSender(api, { perChat: 1000, global: 1000, onBlocked: (c) => void blocked.push(c) });
    fake.blockChat(63);
    await sender.send(63, [...renderTelegram({ text: 'a' }), ...renderTelegram({ text: 'b' })]);
    expect(blocked).toEqual([63]);
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === 63)).toHaveLength(1);
  });

  it('forgets a chat once its bucket has refilled, so memory does not grow with every user ever served', async () => {
    let now = 0;
    const sender = new TelegramSender(api, { perChat: 1000, perChatBurst: 1, global: 1e9, now: () => now });
    await Promise.all(Array.from({ length: 200 }, (_, i) => sender.send(1000 + i, renderTelegram({ text: 'x' }))));
    now += 10;
    await expect.poll(() => sender.chatCount, { timeout: 2000 }).toBe(0);
  });
});
