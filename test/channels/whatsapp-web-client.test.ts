import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisAuthStore } from '../../src/channels/whatsapp-web-client.js';
import { keyspace } from '../../src/store/keys.js';
import { ROOT } from '../helpers/cli.js';
import { dropPrefix, plainRedis, testPrefix } from '../helpers/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'waspada-wweb-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RemoteAuth\'s store in Redis', () => {
  const prefix = testPrefix('wweb-auth');
  const redis = plainRedis();
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('saves the zip RemoteAuth wrote, byte for byte, under the channel\'s keys; extracts, tells whether it exists, deletes', async () => {
    const base = keyspace(prefix).channel('whatsapp-web');
    const store = new RedisAuthStore(redis, base, dir);
    const zip = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 37) % 256));
    expect(await store.sessionExists({ session: 'RemoteAuth' })).toBe(false);
    writeFileSync(join(dir, 'RemoteAuth.zip'), zip);
    await store.save({ session: 'RemoteAuth' });
    expect(await store.sessionExists({ session: 'RemoteAuth' })).toBe(true);
    expect(await redis.exists(`${base}auth:RemoteAuth`)).toBe(1);
    const out = join(dir, 'restored.zip');
    await store.extract({ session: 'RemoteAuth', path: out });
    expect(readFileSync(out).equals(zip)).toBe(true);
    await store.delete({ session: 'RemoteAuth' });
    expect(await store.sessionExists({ session: 'RemoteAuth' })).toBe(false);
  });
});

describe('failures whatsapp-web.js leaves unhandled', () => {
  /** Runs a script with the guard installed; what it printed, and how it ended. */
  function withGuard(rejection: string) {
    const script = join(dir, `guard-${Math.random().toString(36).slice(2)}.mts`);
    writeFileSync(
      script,
      `
      const { guardLibraryRejections } = await import(${JSON.stringify(resolve(ROOT, 'src/channels/whatsapp-web-client.ts'))});
      guardLibraryRejections({ warn: (o, m) => console.log('warned:', m, o.err) });
      ${rejection}
      setTimeout(() => console.log('still running'), 200);
      `,
    );
    return spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
  }

  it('one from the library or Puppeteer (a page closed under it) is logged and the server goes on', () => {
    const run = withGuard(`
      const e = new Error('Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.');
      e.stack = e.message + '\\n    at CdpCDPSession.send (/app/node_modules/puppeteer-core/lib/esm/puppeteer/cdp/CdpSession.js:91:20)';
      Promise.reject(e);
    `);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('warned: whatsapp-web: the library failed in the background (ignored) Protocol error');
    expect(run.stdout).toContain('still running');
  });

  it('any other still ends the process, as Node does', () => {
    const run = withGuard(`Promise.reject(new Error('a bug of ours'));`);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('a bug of ours');
    expect(run.stdout).not.toContain('still running');
  });
});
