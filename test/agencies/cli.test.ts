// `npm run agencies`: import, lookup, status against the Redis the server uses. The agencies are made up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/agencies/cli.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { LIST_DATE, SAMPLE_CSV } from './sample.js';

describe('the agencies command', () => {
  let redis: Redis;
  let dir: string;
  const prefix = testPrefix('agencies-cli');
  const saved = { url: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX };
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (errors.push(String(s)), true));
    try {
      const code = await main(argv, (s) => lines.push(s));
      return { code, out: lines.join('\n'), err: errors.join('') };
    } finally {
      err.mockRestore();
    }
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    dir = mkdtempSync(join(tmpdir(), 'agencies-'));
    process.env.REDIS_URL = REDIS_URL;
    process.env.REDIS_PREFIX = prefix;
  });
  afterAll(async () => {
    process.env.REDIS_URL = saved.url;
    process.env.REDIS_PREFIX = saved.prefix;
    if (saved.url === undefined) delete process.env.REDIS_URL;
    if (saved.prefix === undefined) delete process.env.REDIS_PREFIX;
    rmSync(dir, { recursive: true, force: true });
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('imports a file with the date of the list, then reports it, and looks up names and licence numbers', async () => {
    const file = join(dir, 'p3mi.csv');
    writeFileSync(file, SAMPLE_CSV);
    expect(await run('status')).toMatchObject({ code: 0, out: 'no list imported (npm run agencies -- import FILE)' });
    expect(await run('import', file, '--date', LIST_DATE)).toMatchObject({ code: 0, out: `4 agencies imported: the list of ${LIST_DATE}` });
    expect((await run('status')).out).toMatch(new RegExp(`^4 agencies, the list of ${LIST_DATE} \\(imported `));
    const byName = await run('lookup', '--name', 'pt contoh penempatan satu');
    expect(byName.code).toBe(0);
    expect(byName.out).toContain(`the list of ${LIST_DATE}: on the list (by name): PT Contoh Penempatan Satu`);
    expect(byName.out).toContain('licence UJI-001/TEST/2025, valid until 2030-12-31');
    const byLicence = JSON.parse((await run('lookup', '--licence', 'UJI. 002 TAHUN 2024', '--json')).out);
    expect(byLicence).toMatchObject({ found: true, how: 'licence', agency: { name: 'PT. CONTOH MIGRAN SEJAHTERA', expired: true } });
    expect((await run('lookup', '--name', 'PT Contoh Entah Siapa')).out).toBe(`the list of ${LIST_DATE}: not on the list`);
  });

  it('lists refused rows by line and keeps the list in place, unless told to import the rest', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, ['name,licence_number,address,valid_until', 'PT Contoh Baru Satu,UJI-601/TEST,Jl. Contoh (data uji),', 'PT Contoh Baru Dua,,Jl. Contoh (data uji),'].join('\n'));
    const kept = await run('import', file, '--date', '2026-03-02');
    expect(kept.code).toBe(1);
    expect(kept.out).toBe(
      [`nothing imported: the list of ${LIST_DATE} (4 agencies) stays in place`, '1 refused; correct them, or import the others with --partial:', '  line 3: no licence number'].join('\n'),
    );
    const partial = await run('import', file, '--date', '2026-03-02', '--partial', '--json');
    expect(partial.code).toBe(0);
    expect(JSON.parse(partial.out)).toEqual({
      imported: 1,
      refused: [{ line: 3, reason: 'no licence number' }],
      listDate: '2026-03-02',
      replaced: true,
      previous: { date: LIST_DATE, count: 4 },
    });
  });

  it('says what is missing: a file, a name or licence, a known command', async () => {
    expect((await run('import')).err).toContain('a CSV file is needed');
    expect((await run('lookup')).err).toContain('--name or --licence is needed');
    const unknown = await run('export');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown command "export"');
  });
});
