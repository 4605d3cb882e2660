import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { privateCheckout, type Checkout } from '../helpers/checkout.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { freePort } from '../helpers/redis-server.js';
import { PRODUCTION_NODE_OPTIONS } from '../helpers/server-process.js';
import { SECRET, TOKEN, textUpdate } from '../helpers/telegram.js';

describe('npm start (serve)', () => {
  it('names every missing setting at once and exits 1, for the channel it was asked to serve', async () => {
    const r = await runCli(['serve'], '', { REDIS_URL: '', HASH_SECRET: '', CHANNELS: 'telegram', TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REDIS_URL: needed to serve');
    expect(r.stderr).toContain('HASH_SECRET: needed to serve');
    expect(r.stderr).toContain('DATA_ENCRYPTION_KEY: needed to serve');
    expect(r.stderr).toContain('openssl rand -base64 32');
    expect(r.stderr).toContain('TELEGRAM_BOT_TOKEN: needed to serve Telegram');
    expect(r.stderr).toContain('TELEGRAM_WEBHOOK_SECRET: needed in webhook mode');
  });

  it('with no channel asked for, says which settings each channel needs', async () => {
    const r = await runCli(['serve'], '', { REDIS_URL, HASH_SECRET: 'x'.repeat(20), CHANNELS: '', TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CHANNELS: no channel to serve');
    expect(r.stderr).toContain('telegram: TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET');
    const unknown = await runCli(['serve'], '', { CHANNELS: 'telegram,fax' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('CHANNELS must list some of: telegram');
  });

  it('refuses a malformed token or a short secret, naming the variable', async () => {
    const r = await runCli(['serve'], '', { REDIS_URL, TELEGRAM_BOT_TOKEN: 'abc', TELEGRAM_WEBHOOK_SECRET: 'short' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TELEGRAM_BOT_TOKEN: TELEGRAM_BOT_TOKEN must look like');
    expect(r.stderr).toContain('TELEGRAM_WEBHOOK_SECRET: TELEGRAM_WEBHOOK_SECRET must be 16 to 256 characters');
  });

  it('exits 1 with a clear message when Redis cannot be reached at start', async () => {
    const r = await runCli(['serve'], '', { REDIS_URL: 'redis://127.0.0.1:1/0', HASH_SECRET: 'x'.repeat(20), DATA_ENCRYPTION_KEY: DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1/0');
  });
});

describe('npm start in production: the built code run by node itself', () => {
  let fake: FakeTelegram;
  // A private copy: here dist/ is deleted, a source broken and the compiler made unusable, which the
  // other test files (building and running this checkout's dist/) must not see.
  let checkout: Checkout;
  const prefix = testPrefix('npm-start');
  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    checkout = privateCheckout();
  });
  afterAll(async () => {
    await fake.close();
    checkout.remove();
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });
  const inCheckout = (rel: string) => join(checkout.dir, rel);

  /** `npm start` as a deployer runs it in the private copy; resolves once it serves or has exited. */
  async function npmStart(port: number, env: Record<string, string> = {}) {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: checkout.dir,
      env: { ...process.env, REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'npm-start-hash-secret-0123', DATA_ENCRYPTION_KEY: DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, PORT: String(port), LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // A build on a loaded 2-core machine (the whole suite beside it) takes some seconds.
    await expect.poll(() => out.includes('waspada serving') || child.exitCode !== null, { timeout: 60_000, interval: 100 }).toBe(true);
    return { child, exited, out: () => out };
  }
  async function serving(port: number, env: Record<string, string> = {}) {
    const app = await npmStart(port, env);
    expect(app.out()).toContain('waspada serving');
    return app;
  }

  const answers = (port: number) => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
  /** The processes whose command line names the server started on this port's run. */
  const servers = () => execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('scripts/start.mjs') && !l.includes('npm'));
  /** Makes a source newer than the build (an edit or a pull): dist/ is stale. */
  const touchSource = () => {
    const later = new Date(Date.now() + 2000);
    utimesSync(inCheckout('src/config.ts'), later, later);
  };

  it('builds dist/ when it is missing, serves, and stops when npm is sent SIGTERM (no process left serving)', async () => {
    expect(existsSync(inCheckout('dist'))).toBe(false);
    const port = await freePort();
    const before = servers().length;
    const app = await serving(port);
    expect(app.out()).toContain('npm start: building');
    expect(existsSync(inCheckout('dist/.built'))).toBe(true);
    expect(existsSync(inCheckout('dist/content.json'))).toBe(true);
    // node runs the server as npm's own child: no tsx, no shell in between, and no compiler left running.
    const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(app.child.pid)], { encoding: 'utf8' }).trim().split('\n');
    expect(children).toEqual(['node scripts/start.mjs']);
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(4343, 'tolong')),
    });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent(4343).length === 1, 10_000);
    app.child.kill('SIGTERM'); // npm alone, not its process group
    expect(await app.exited).not.toBeNull();
    await expect.poll(() => answers(port), { timeout: 10_000 }).toBe(false);
    expect(app.out()).toContain('"signal":"SIGTERM"');
    await expect.poll(() => servers().length, { timeout: 10_000 }).toBe(before);
  }, 90_000);

  it('does not build again when nothing changed, and stops when npm itself is killed with SIGKILL', async () => {
    const port = await freePort();
    const before = servers().length;
    const app = await serving(port);
    expect(app.out()).not.toContain('building');
    app.child.kill('SIGKILL');
    await app.exited;
    await expect.poll(() => answers(port), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => servers().length, { timeout: 10_000 }).toBe(before);
  }, 60_000);

  it('with a compiler that cannot run here (esbuild for another platform), runs the build dist/ has and says so', async () => {
    touchSource();
    // Not an esbuild binary: what esbuild meets with node_modules installed on another system.
    const broken = inCheckout('not-esbuild.sh');
    writeFileSync(broken, '#!/bin/sh\necho "cannot execute binary file: Exec format error" >&2\nexit 126\n', { mode: 0o755 });
    const port = await freePort();
    const app = await serving(port, { ESBUILD_BINARY_PATH: broken });
    expect(app.out()).toContain('esbuild could not run');
    expect(app.out()).toContain('the compiler (esbuild) cannot run here; running the existing build');
    app.child.kill('SIGTERM');
    await app.exited;
    await expect.poll(() => answers(port), { timeout: 10_000 }).toBe(false);
  }, 60_000);

  it('stops with the compiler\'s message when a source does not compile, rather than run the older build', async () => {
    const file = inCheckout('src/timeout.ts');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, `${good}\nexport const broken = ;\n`);
    try {
      const port = await freePort();
      const app = await npmStart(port);
      expect(await app.exited).toBe(1);
      expect(app.out()).toContain('compiling failed');
      expect(app.out()).toContain('src/timeout.ts');
      expect(app.out()).toContain('npm start: the build failed (exit 1)');
      expect(app.out()).not.toContain('waspada serving');
    } finally {
      writeFileSync(file, good);
    }
  }, 60_000);

  it('leaves nothing in dist/ of a source that was deleted, even when only stale builds are asked for', () => {
    const build = () => execFileSync(process.execPath, [inCheckout('scripts/build.mjs')], { cwd: checkout.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    writeFileSync(inCheckout('src/engine/gone-soon.ts'), 'export const soon = 1;\n');
    build();
    expect(existsSync(inCheckout('dist/src/engine/gone-soon.js'))).toBe(true);
    expect(existsSync(inCheckout('dist/src/engine/gone-soon.js.map'))).toBe(true);
    rmSync(inCheckout('src/engine/gone-soon.ts'));
    // The deletion alone makes dist/ stale: npm start's build (--if-stale) removes it too.
    execFileSync(process.execPath, [inCheckout('scripts/build.mjs'), '--if-stale'], { cwd: checkout.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(existsSync(inCheckout('dist/src/engine/gone-soon.js'))).toBe(false);
    expect(existsSync(inCheckout('dist/src/engine/gone-soon.js.map'))).toBe(false);
    // What has a source stays, the model copied from src/ among it.
    expect(existsSync(inCheckout('dist/src/engine/flow.js'))).toBe(true);
    expect(existsSync(inCheckout('dist/src/checker/model.json'))).toBe(true);
  }, 60_000);
});

describe('the built image command (node dist/src/cli.js, as the Dockerfile runs it)', () => {
  let fake: FakeTelegram;
  const prefix = testPrefix('built');
  beforeAll(async () => {
    // What the Dockerfile's build stage runs (npm run build) but its type check, which `npm test` ran
    // over src/ and more before the tests; npm start, tested before, built it too.
    execFileSync(process.execPath, [resolve(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
    fake = await startFakeTelegram({ token: TOKEN });
  }, 60_000);
  afterAll(async () => {
    await fake.close();
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  it('checks the flows, serves the webhook, answers a message, and stops cleanly on SIGTERM', async () => {
    const cli = resolve(ROOT, 'dist/src/cli.js');
    expect(existsSync(cli)).toBe(true);
    expect(execFileSync(process.execPath, [cli, 'flows:check'], { cwd: ROOT, encoding: 'utf8' })).toMatch(/^flows ok/);
    const child = spawn(process.execPath, [...PRODUCTION_NODE_OPTIONS, cli, 'serve'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'built-hash-secret-0123456789', DATA_ENCRYPTION_KEY: DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await expect.poll(() => /"port":(\d+)/.exec(log)?.[1], { timeout: 15_000 }).toBeDefined();
    const port = /"port":(\d+)/.exec(log)![1];
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(4242, 'tolong')),
    });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent(4242).length === 1, 10_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Logs are JSON and carry no message text.
    expect(log).not.toContain('tolong');
    for (const line of log.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    // It started from the content the build checked and compiled, not by reading it all again.
    expect(existsSync(resolve(ROOT, 'dist/content.json'))).toBe(true);
    expect(log).not.toContain('content read and checked in full');
  }, 60_000);
});
