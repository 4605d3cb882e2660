import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiSender, classify, renderTelegram } from '../../src/channels/telegram.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { TOKEN } from '../helpers/telegram.js';

describe('sending one Telegram message, and what its answer means for the outbox', () => {
  let fake: FakeTelegram;
  let api: BotApiSender;
  const [msg] = renderTelegram({ text: 'halo' });
  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    api = new BotApiSender(TOKEN, fake.apiRoot, new Agent({ keepAlive: true }));
  });
  afterAll(async () => {
    await fake.close();
  });

  it('a message Telegram takes is ok, and the written hook fires before the answer', async () => {
    let written = false;
    const r = await api.sendMessage(61, msg!, { written: () => void (written = true) });
    expect(r).toEqual({ ok: true });
    expect(written).toBe(true);
    expect(fake.sent(61).map((m) => m.text)).toEqual(['halo']);
  });

  it('429 means wait as long as retry_after says', async () => {
    fake.failNext('sendMessage', 1, { code: 429, retryAfter: 7 });
    expect(await api.sendMessage(62, msg!)).toMatchObject({ ok: false, kind: 'retry', afterMs: 7000 });
  });

  it('a blocked chat, or a chat Telegram does not know, is gone', async () => {
    fake.blockChat(63);
    expect(await api.sendMessage(63, msg!)).toMatchObject({ ok: false, kind: 'gone' });
    fake.failNext('sendMessage', 1, { code: 400, description: 'Bad Request: chat not found' });
    expect(await api.sendMessage(64, msg!)).toMatchObject({ ok: false, kind: 'gone' });
  });

  it('another 400 refuses this message only; 5xx and a wrong token are failures worth retrying', async () => {
    fake.failNext('sendMessage', 1, { code: 400, description: 'Bad Request: message is too long' });
    expect(await api.sendMessage(65, msg!)).toMatchObject({ ok: false, kind: 'permanent' });
    fake.failNext('sendMessage', 1, { code: 500 });
    expect(await api.sendMessage(65, msg!)).toMatchObject({ ok: false, kind: 'transient' });
    const wrong = new BotApiSender('999:AAwrong-token-000000000000000', fake.apiRoot, new Agent({ keepAlive: true }));
    expect(await wrong.sendMessage(65, msg!)).toMatchObject({ ok: false, kind: 'transient', reason: expect.stringContaining('401') });
  });

  it('a network failure is a failure worth retrying, never an exception', async () => {
    const nowhere = new BotApiSender(TOKEN, 'http://127.0.0.1:1', new Agent());
    expect(await nowhere.sendMessage(66, msg!)).toMatchObject({ ok: false, kind: 'transient' });
  });

  it('a slow answer is waited for, not given up and sent again', async () => {
    const slow = new BotApiSender(TOKEN, fake.apiRoot, new Agent({ keepAlive: true }), 5_000);
    fake.delayNext('sendMessage', 1, 1500);
    expect(await slow.sendMessage(67, msg!)).toEqual({ ok: true });
    expect(fake.sent(67)).toHaveLength(1);
  });

  it('classifies answers that are not JSON by their HTTP status', () => {
    expect(classify(502, {})).toMatchObject({ kind: 'transient', reason: '502: no description' });
    expect(classify(403, {})).toMatchObject({ kind: 'gone' });
    expect(classify(500, null)).toMatchObject({ kind: 'transient', reason: '500: no description' });
  });
});
