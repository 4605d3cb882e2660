// A report made in the terminal chat (`npm run chat`) on Redis reaches the staff: listed by the
// hotline CLI without personal fields, shown decrypted only by `show`.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runHotline } from '../helpers/cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';

const prefix = testPrefix('chat-staff');
const env = { REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'chat-staff-hash-secret-0123', DATA_ENCRYPTION_KEY: DATA_KEY };

const hotline = (args: string[]) => runHotline(args, { HOTLINE_STAFF: 'joko', ...env });

afterAll(async () => {
  const r = plainRedis();
  await dropPrefix(r, prefix);
  r.disconnect();
});

describe('a report from the terminal chat', () => {
  it('appears in `hotline list --json` without personal fields, and decrypted in `show`', async () => {
    const lines = ['/start', '1', 'menu', '4', 'Rina Wulandari', '24', 'kakak', 'Kamboja', 'Sihanoukville', 'PT Cahaya', 'lewati', '3 minggu lalu', 'Paspornya ditahan.', 'tidak', 'lewati', 'ya', '1'];
    const chat = await runCli(['chat', '--lang', 'id', '--user', 'keluarga-1'], lines.join('\n') + '\n', env);
    expect(chat.code, chat.stderr).toBe(0);
    const id = /Nomor kasus: (WSP-[A-Z0-9]{4}-[A-Z0-9]{2})/.exec(chat.stdout)?.[1];
    expect(id, chat.stdout.slice(-800)).toBeDefined();

    const list = await hotline(['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).cases.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(list.stdout).not.toContain('Rina');

    const show = await hotline(['show', id!, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).case).toMatchObject({ id, channel: 'terminal', details: { name: 'Rina Wulandari', country: 'KH', danger: false } });
  }, 60_000);
});
