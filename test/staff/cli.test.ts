// `npm run hotline` as staff run it (compiled: test/helpers/built.ts), against the Redis of a running Waspada process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenCase } from '../../src/hotline/types.js';
import { runHotline } from '../helpers/cli.js';
import { DATA_KEY, REDIS_URL } from '../helpers/redis.js';
import { startHarness, TOKEN, type Harness } from '../helpers/telegram.js';

let h: Harness;
let chat = 81_000;

/** The same secrets and Redis as the server (test/helpers/telegram.ts), so the CLI works its cases. */
function serverEnv(): NodeJS.ProcessEnv {
  return {
    REDIS_URL,
    REDIS_PREFIX: h.prefix,
    HASH_SECRET: 'e2e-hash-secret-0123456789',
    DATA_ENCRYPTION_KEY: DATA_KEY,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: 'e2e-secret-0123456789abcdef',
    TELEGRAM_API_ROOT: h.fake.apiRoot,
    HOTLINE_STAFF: 'eka',
  };
}

function hotline(args: string[], env: NodeJS.ProcessEnv = serverEnv()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runHotline(args, env);
}

async function openCase(extra: Partial<OpenCase> = {}): Promise<{ id: string; user: number }> {
  const user = ++chat;
  const c: OpenCase = {
    kind: 'missing',
    urgent: false,
    lang: 'id',
    reporter: { channel: 'telegram', userId: String(user), contact: null },
    consentShare: true,
    details: { name: 'Rina', relation: 'adik', country: 'SA', story: 'hilang kontak' },
    ...extra,
  };
  const { id } = await h.app.hotline.open(c, `cli-${user}`);
  return { id, user };
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('npm run hotline', () => {
  it('names each missing secret and exits 1', async () => {
    const r = await hotline(['list'], { REDIS_URL: '', HASH_SECRET: '', DATA_ENCRYPTION_KEY: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REDIS_URL: needed');
    expect(r.stderr).toContain('HASH_SECRET: needed');
    expect(r.stderr).toContain('DATA_ENCRYPTION_KEY: needed');
  });

  it('token prints a token that the staff API accepts with the role given; revoke ends it', async () => {
    const made = await hotline(['token', '--name', 'fajar', '--role', 'agent']);
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^wsp_[A-Za-z0-9_-]{43}$/);
    const ok = await fetch(`${h.app.url}/staff/api/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const audit = await fetch(`${h.app.url}/staff/api/audit`, { headers: { authorization: `Bearer ${token}` } });
    expect(audit.status).toBe(403);
    const staff = await hotline(['staff', '--json']);
    expect(JSON.parse(staff.stdout).staff).toEqual([expect.objectContaining({ name: 'fajar', role: 'agent' })]);
    expect(staff.stdout).not.toContain(token);
    expect((await hotline(['revoke', '--name', 'fajar'])).code).toBe(0);
    expect((await fetch(`${h.app.url}/staff/api/cases`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('token refuses a bad name or role, naming it', async () => {
    const role = await hotline(['token', '--name', 'gita', '--role', 'boss']);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('role: role must be one of agent, campaign, admin');
    const name = await hotline(['token', '--name', 'gita sari', '--role', 'agent']);
    expect(name.code).toBe(1);
    expect(name.stderr).toContain('name: a staff name is');
  });

  it('list --json shows a case opened through HotlineService.open, without personal fields', async () => {
    const { id } = await openCase({ urgent: true, kind: 'urgent' });
    const r = await hotline(['list', '--json', '--open']);
    expect(r.code).toBe(0);
    const { cases } = JSON.parse(r.stdout);
    expect(cases.find((c: { id: string }) => c.id === id)).toMatchObject({ id, stage: 'received', kind: 'urgent', urgent: true });
    expect(r.stdout).not.toContain('Rina');
    const text = await hotline(['list', '--queued']);
    expect(text.stdout).toContain(id);
    expect(text.stdout).toContain('URGENT');
  });

  it('show, claim, stage, refer and close work a case, recorded in the audit log under --as or HOTLINE_STAFF', async () => {
    const { id, user } = await openCase();
    const shown = await hotline(['show', id.toLowerCase(), '--json', '--as', 'hana']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).case.details.name).toBe('Rina');
    expect((await hotline(['claim', id])).code).toBe(0);
    expect((await hotline(['note', id, 'asked', 'the', 'agency'])).code).toBe(0);
    expect((await hotline(['stage', id, 'verified'])).code).toBe(0);
    const referred = await hotline(['refer', id, 'kemlu_pwni', '--json']);
    expect(JSON.parse(referred.stdout).case).toMatchObject({ stage: 'referred', partner: 'kemlu_pwni', claimedBy: 'eka' });
    const closed = await hotline(['close', id, 'found', '--json']);
    expect(JSON.parse(closed.stdout).case).toMatchObject({ stage: 'closed', outcome: 'found' });

    const c = await h.app.hotline.store.get(id);
    expect(c!.notes).toMatchObject([{ by: 'eka', text: 'asked the agency', family: false }]);
    const audit = JSON.parse((await hotline(['audit', id, '--json'])).stdout).entries as { by: string; action: string; role: string }[];
    expect(audit.map((e) => `${e.by}:${e.action}`)).toEqual(expect.arrayContaining(['hana:read', 'eka:claim', 'eka:note', 'eka:stage', 'eka:refer', 'eka:close']));
    expect(audit.find((e) => e.action === 'note')!.role).toBe('admin');
    // The family was told of each stage through the server's outbox (the CLI only queued them).
    await h.until(user, 3, 15_000);
    expect(h.texts(user).every((t) => t.includes(id))).toBe(true);
  }, 30_000);

  it('a note with --family is queued for the family and the server sends it', async () => {
    const { id, user } = await openCase();
    const r = await hotline(['note', id, 'Kasus Anda sedang kami tangani', '--family']);
    expect(r.code).toBe(0);
    const texts = await h.until(user, 1, 15_000);
    expect(texts[0]).toContain('Kasus Anda sedang kami tangani');
  }, 30_000);

  it('close on an unknown case, a bad stage or a mistyped case number exits 1 with a clear message', async () => {
    const unknown = await hotline(['close', 'WSP-0000-00', 'found']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no case WSP-0000-00');
    const { id } = await openCase();
    const stage = await hotline(['stage', id, 'lost']);
    expect(stage.code).toBe(1);
    expect(stage.stderr).toContain('stage: stage must be one of');
    const typo = await hotline(['show', 'WSP-12']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('"WSP-12" is not a case number');
    const command = await hotline(['frobnicate']);
    expect(command.code).toBe(1);
    expect(command.stderr).toContain('unknown command "frobnicate"');
  });
});
