// The real whatsapp-web.js client on Debian's Chromium. These machines have no route to WhatsApp Web:
// the channel must launch the browser, say clearly that it cannot reach WhatsApp Web, and leave no
// Chromium process behind when it stops.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WhatsappWebChannel, type WhatsappWebSettings } from '../../src/channels/whatsapp-web.js';
import { loadConfig } from '../../src/config.js';
import { Inbox } from '../../src/conversation/inbox.js';
import { silentLogger } from '../../src/log.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { keyspace } from '../../src/store/keys.js';
import { ROOT } from '../helpers/cli.js';
import { dropPrefix, plainRedis, testPrefix } from '../helpers/redis.js';
import { TEST_CIPHER } from '../helpers/stores.js';

const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`whatsapp-web smoke test skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);

const dir = mkdtempSync(join(tmpdir(), 'waspada-wweb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Processes ("pid command line") whose command line names `pattern` (Chromium's carries its profile folder); children of `parent` only, if given. */
function processes(pattern: string, parent?: number): string[] {
  try {
    return execFileSync('pgrep', ['-a', ...(parent ? ['-P', String(parent)] : []), '-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe.skipIf(!hasChromium)('the real whatsapp-web.js client on Chromium, with no route to WhatsApp Web', () => {
  const prefix = testPrefix('wweb-chromium');
  const redis = plainRedis();
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it.each([
    ['local', 'session'],
    ['remote', 'RemoteAuth'],
  ] as const)('with the link kept %s: launches Chromium, reports that WhatsApp Web cannot be reached, and stops leaving no Chromium process', async (auth, profile) => {
    const data = join(dir, `link-${auth}`);
    const keys = keyspace(prefix);
    const settings = loadConfig({
      WHATSAPP_WEB_ENABLED: 'true',
      WHATSAPP_WEB_DATA_DIR: data,
      PUPPETEER_EXECUTABLE_PATH: CHROMIUM,
      WHATSAPP_WEB_AUTH: auth,
      // One attempt within the test: the next would come a minute later.
      WHATSAPP_WEB_RECONNECT_SECONDS: '60',
    }) as unknown as WhatsappWebSettings;
    const inbox = new Inbox({ redis, keys, cipher: TEST_CIPHER });
    const channel = new WhatsappWebChannel({ settings, inbox, recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys });
    const started = Date.now();
    channel.start();
    expect(channel.health()).toMatchObject({ state: 'starting' });
    // Chromium is a child of this process, with its profile in the LocalAuth folder.
    let launched: string[] = [];
    await expect.poll(() => (launched = processes(data, process.pid)).length, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
    expect(launched[0]).toMatch(/chromium .*--headless/);
    expect(launched[0]).toContain(`--user-data-dir=${join(data, profile)}`);
    // No route: a clear state with the browser's reason, within a bounded time (a route, for once: the QR code).
    await expect.poll(() => channel.linkState, { timeout: 20_000, interval: 50 }).toMatch(/^(error|qr_needed)$/);
    const health = channel.health();
    if (health.state === 'error') expect(health.last_error).toMatch(/net::ERR_[A-Z_]+ at https:\/\/web\.whatsapp\.com/);
    expect(Date.now() - started).toBeLessThan(20_000);
    // A failed opening closes its browser at once (the next attempt starts another).
    await channel.stop();
    expect(channel.health()).toMatchObject({ state: 'stopped' });
    await expect.poll(() => processes(data), { timeout: 5000, interval: 50 }).toEqual([]);
    // Stopped for good: no reconnect launches another browser.
    await new Promise((r) => setTimeout(r, 300));
    expect(processes(data)).toEqual([]);
  }, 40_000);

  it('stopped while Chromium is still opening WhatsApp Web, it leaves no Chromium process', async () => {
    const data = join(dir, 'early');
    const keys = keyspace(prefix);
    const settings = loadConfig({ WHATSAPP_WEB_ENABLED: 'true', WHATSAPP_WEB_DATA_DIR: data, PUPPETEER_EXECUTABLE_PATH: CHROMIUM }) as unknown as WhatsappWebSettings;
    const channel = new WhatsappWebChannel({ settings, inbox: new Inbox({ redis, keys, cipher: TEST_CIPHER }), recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys });
    channel.start();
    await expect.poll(() => processes(data, process.pid).length, { timeout: 15_000, interval: 20 }).toBeGreaterThan(0);
    expect(channel.linkState).toBe('starting');
    await channel.stop();
    await expect.poll(() => processes(data), { timeout: 5000, interval: 50 }).toEqual([]);
  }, 30_000);
});

describe('what the whatsapp-web channel loads', () => {
  it('creating the channel (as the server and the staff CLI do) loads neither whatsapp-web.js nor Puppeteer nor qrcode-terminal', () => {
    const out = join(dir, 'packages.txt');
    const script = join(dir, 'create.mts');
    writeFileSync(
      script,
      `
      const { CHANNELS } = await import(${JSON.stringify(resolve(ROOT, 'src/channels/registry.ts'))});
      const { loadConfig } = await import(${JSON.stringify(resolve(ROOT, 'src/config.ts'))});
      const { keyspace } = await import(${JSON.stringify(resolve(ROOT, 'src/store/keys.ts'))});
      const m = CHANNELS.find((c) => c.name === 'whatsapp-web');
      if (process.argv[2] === 'load') await import(${JSON.stringify(resolve(ROOT, 'node_modules/whatsapp-web.js/index.js'))});
      const channel = m.create({ settings: loadConfig({ WHATSAPP_WEB_ENABLED: 'true' }), inbox: {}, recipients: {}, redis: {}, keys: keyspace('x') });
      if (channel.health().state !== 'stopped') throw new Error('started on create');
      `,
    );
    const loaded = (arg: string) => {
      const run = spawnSync(process.execPath, ['--require', resolve(ROOT, 'test/helpers/loaded-packages.cjs'), '--import', 'tsx', script, arg], {
        cwd: ROOT,
        env: { ...process.env, LOADED_PACKAGES_OUT: out },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(out, 'utf8').split('\n');
    };
    const packages = loaded('create');
    for (const p of ['whatsapp-web.js', 'puppeteer', 'puppeteer-core', 'qrcode-terminal']) expect(packages).not.toContain(p);
    // The check sees the library when it is loaded.
    expect(loaded('load')).toContain('whatsapp-web.js');
  });
});
