// A campaign survives its worker being killed: real worker processes (`waspada worker`), kill -9 in
// the middle of a campaign, a new worker, and a fake Bot API enforcing Telegram's limits (30 a
// second in any second, one a second per chat). Every subscriber gets it exactly once. The fake runs
// in a process of its own (as in test/outbox/limits.e2e.test.ts): in this busy test process its clock
// would read late now and then and see messages sent 34 ms apart arrive bunched.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as broadcast } from '../../src/broadcast/cli.js';
import { startFake } from '../../bench/outbox.js';
import { SECRET, TOKEN } from '../../bench/waspada-env.js';
import { ROOT } from '../helpers/cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('a campaign when its worker is killed', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  const prefix = testPrefix('bckill');
  const workers: ChildProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFake();
    env = {
      REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'bckill-hash-secret-0123456789', DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, LOG_LEVEL: 'silent',
    };
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    fake.child.kill('SIGTERM');
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  const startWorker = () => {
    const w = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli.ts'), 'worker'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
    workers.push(w);
    return w;
  };
  const withEnv = async <T,>(fn: () => Promise<T>): Promise<T> => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await fn();
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
      Object.assign(process.env, saved);
    }
  };

  it('killed (kill -9) mid-campaign and started again: 450 subscribers each get it once, the opted-out none, no 429 after the first second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bckill-'));
    const ids = Array.from({ length: 450 }, (_, i) => 8_000_000 + i);
    writeFileSync(join(dir, 'subs.csv'), ['channel,user_id,language,topics,consented_at', ...ids.map((id) => `telegram,${id},id,scam-alerts,2026-10-01T00:00:00Z`)].join('\n'));
    writeFileSync(join(dir, 'msg.txt'), 'Waspada: lowongan admin di luar negeri bergaji tinggi tanpa pengalaman adalah modus penipuan.');
    const quiet = () => undefined;
    expect(await withEnv(() => broadcast(['import', join(dir, 'subs.csv')], quiet))).toBe(0);
    const out = [8_000_010, 8_000_020];
    for (const id of out) expect(await withEnv(() => broadcast(['opt-out', '--channel', 'telegram', '--user', String(id)], quiet))).toBe(0);
    let first = startWorker();
    expect(await withEnv(() => broadcast(['send', '--segment', 'lang=id,topic=scam-alerts', '--text-file', join(dir, 'msg.txt'), '--urgent'], quiet))).toBe(0);
    const okTo = (id: number) => fake.sends.filter((c) => c.chat === String(id) && c.status === 200).length;
    const sent = () => ids.filter((id) => okTo(id) > 0).length;
    await expect.poll(sent, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(90);
    first.kill("SIGKILL");
    await new Promise((r) => first.once('exit', r));
    const atKill = sent();
    // Killed before the campaign's end: some of it was left to the next worker.
    expect(atKill).toBeLessThan(ids.length - out.length);
    first = startWorker();
    await expect.poll(sent, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(448);
    await new Promise((r) => setTimeout(r, 2000));
    expect(ids.filter((id) => okTo(id) > 1)).toEqual([]);
    expect(out.filter((id) => okTo(id))).toEqual([]);
    expect(sent()).toBe(448);
    // The first second of sending starts when the worker, started as a process, first sends.
    const start = Math.min(...fake.sends.map((c) => c.at));
    const late = fake.sends.filter((c) => c.status === 429 && c.at > start + 1000);
    expect(late).toEqual([]);
  }, 120_000);
});
