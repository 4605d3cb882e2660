// A deploy (SIGTERM) while Redis is away: the server process still stops within Docker's grace period
// (10 s between SIGTERM and SIGKILL) instead of waiting for a Redis that is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY } from '../helpers/redis.js';
import { PrivateRedis } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { SECRET, TOKEN, textUpdate } from '../helpers/telegram.js';

describe('a server stopped while Redis is away', () => {
  let fake: FakeTelegram;
  let redis: PrivateRedis;
  let server: ServerProcess | null = null;
  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    redis = await PrivateRedis.start({ appendonly: false });
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await fake.close();
    await redis.stop();
  });

  it('exits by itself within 10 s of SIGTERM, having answered what it was given before', async () => {
    server = await startServerProcess({
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'outage-stop',
      HASH_SECRET: 'outage-stop-hash-secret-0123456789',
      DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    const res = await fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(5151, 'tolong')),
    });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent(5151).length >= 1, 10_000);
    await redis.kill();
    // Its connections have lost Redis and wait to try again.
    await new Promise((r) => setTimeout(r, 1500));
    server.kill('SIGTERM');
    const outcome = await Promise.race([server.exited.then((code) => ({ code })), new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(outcome).toEqual({ code: 0 });
  }, 40_000);
});
