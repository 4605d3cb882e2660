import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from './helpers/redis.js';
import { SECRET, TOKEN } from './helpers/telegram.js';

const PRELOAD = resolve(ROOT, 'test/helpers/loaded-packages.cjs');
const dir = mkdtempSync(join(tmpdir(), 'waspada-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs node (with tsx) and the preload; resolves with the npm packages the process had loaded when it
 * exited: by itself, or on SIGTERM once `whileRunning` is done.
 */
function packagesOf(args: string[], env: Record<string, string>, whileRunning?: (log: () => string) => Promise<void>) {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.txt`);
  const child = spawn(process.execPath, ['--require', PRELOAD, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOADED_PACKAGES_OUT: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return (async () => {
    if (whileRunning) {
      await whileRunning(() => log);
      child.kill('SIGTERM');
    }
    expect(await exited, log).toBe(0);
    return readFileSync(out, 'utf8').split('\n');
  })();
}

describe('what start-up loads', () => {
  const prefix = testPrefix('startup');
  afterAll(async () => {
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  it('a webhook server answers /healthz without loading Express, telegraf or prom-client (they are for other paths, polling, commands and /metrics)', async () => {
    const env = { REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'startup-hash-secret-0123', DATA_ENCRYPTION_KEY: DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: 'http://127.0.0.1:9', PORT: '0', LOG_LEVEL: 'info' };
    const packages = await packagesOf([resolve(ROOT, 'src/cli.ts'), 'serve'], env, async (log) => {
      await expect.poll(() => /"port":(\d+)/.exec(log())?.[1], { timeout: 30_000 }).toBeDefined();
      const res = await fetch(`http://127.0.0.1:${/"port":(\d+)/.exec(log())![1]}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', redis: 'up' });
    });
    expect(packages).toContain('ioredis');
    expect(packages).not.toContain('express');
    expect(packages).not.toContain('telegraf');
    // prom-client comes with the first scrape of /metrics.
    expect(packages).not.toContain('prom-client');
  }, 60_000);

  it('content loaded from a compiled bundle needs no YAML parser', async () => {
    const code = `
      import { cpSync } from 'node:fs';
      import { join } from 'node:path';
      const { loadCheckedContent, writeContentBundle } = await import(${JSON.stringify(resolve(ROOT, 'src/content/compiled.ts'))});
      const { contentDirs, readContentParts } = await import(${JSON.stringify(resolve(ROOT, 'src/content/index.ts'))});
      const root = ${JSON.stringify(dir)};
      for (const d of ['flows', 'locales', 'data']) cpSync(join(${JSON.stringify(ROOT)}, d), join(root, d), { recursive: true });
      const file = join(root, 'content.json');
      // Made in another process (the build), so that this one has not parsed any YAML.
      if (process.argv[2] === 'write') writeContentBundle(file, readContentParts(contentDirs(root), root), contentDirs(root), root);
      else {
        const r = loadCheckedContent({}, [], { root, file });
        if (r.checkedInFull !== null || r.content.bundle.flows.size === 0) throw new Error('not loaded from the bundle: ' + r.checkedInFull);
      }
    `;
    const script = join(dir, 'load.mts');
    writeFileSync(script, code);
    expect(await packagesOf([script, 'write'], {})).toContain('yaml');
    expect(await packagesOf([script, 'read'], {})).not.toContain('yaml');
  }, 60_000);
});
