// Drives a whole Waspada process over Telegram: the local fake Bot API, real Redis, real HTTP.
import { loadConfig } from '../../src/config.js';
import { EFFECTS, type EffectHandler } from '../../src/conversation/effects.js';
import { startWaspada, type Running, type StartOptions } from '../../src/runtime.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from './redis.js';

export const TOKEN = '123456789:AAF-waspada-e2e-token-0123456789';
export const SECRET = 'e2e-secret-0123456789abcdef';

let updateId = 1000;
let messageId = 1;

export function textUpdate(user: number, text: string, extra: { lang?: string; update_id?: number } = {}) {
  return {
    update_id: extra.update_id ?? ++updateId,
    message: {
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private', first_name: `U${user}` },
      from: { id: user, is_bot: false, first_name: `U${user}`, language_code: extra.lang ?? 'id' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
    },
  };
}

export function callbackUpdate(user: number, data: string) {
  return {
    update_id: ++updateId,
    callback_query: {
      id: `cb${updateId}`,
      from: { id: user, is_bot: false, first_name: `U${user}`, language_code: 'id' },
      chat_instance: 'ci',
      data,
      message: { message_id: 1, date: 0, chat: { id: user, type: 'private' } },
    },
  };
}

export const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export interface Harness {
  fake: FakeTelegram;
  app: Running;
  prefix: string;
  post(update: unknown, secret?: string | null): Promise<Response>;
  /** Texts sent to a chat so far (unescaped). */
  texts(chat: number): string[];
  /** Waits until the chat has received at least n messages. */
  until(chat: number, n: number, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<Harness> {
  const fake = await startFakeTelegram({ token: TOKEN });
  const prefix = testPrefix('tg');
  const config = loadConfig({
    REDIS_URL,
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'e2e-hash-secret-0123456789',
    DATA_ENCRYPTION_KEY: DATA_KEY,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    PORT: '0',
    TELEGRAM_RATE_PER_CHAT: '1000',
    TELEGRAM_RATE_GLOBAL: '100000',
    ...env,
  });
  const app = await startWaspada(config, { host: '127.0.0.1', ...opts });
  const texts = (chat: number) => fake.sent(chat).map((m) => unescape(m.text as string));
  return {
    fake,
    app,
    prefix,
    post: (update, secret = SECRET) =>
      fetch(`${app.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        body: typeof update === 'string' ? update : JSON.stringify(update),
      }),
    texts,
    async until(chat, n, timeoutMs = 10_000) {
      await fake.waitFor(() => fake.sent(chat).length >= n, timeoutMs);
      return texts(chat);
    },
    async close() {
      await app.close();
      await fake.close();
      const r = plainRedis();
      await dropPrefix(r, prefix);
      r.disconnect();
    },
  };
}

/** The standard effects, with checking an offer held until `release()`: a step that is still working. */
export function gatedOfferCheck(): { effects: Record<string, EffectHandler>; started: () => boolean; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started = false;
  const real = EFFECTS.checkOffer!;
  const checkOffer: EffectHandler = {
    outcomes: real.outcomes,
    async run(ctx, args) {
      started = true;
      await gate;
      return real.run(ctx, args);
    },
  };
  return { effects: { ...EFFECTS, checkOffer }, started: () => started, release };
}
