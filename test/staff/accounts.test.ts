// Staff console accounts (src/staff/accounts.ts) and their CLI (npm run staff), against real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { AccountError, LINK_TTL_MS, MAX_FAILURES, StaffAccounts, verifyPassword } from '../../src/staff/accounts.js';
import { CampaignAudit } from '../../src/staff/audit.js';
import { keyspace } from '../../src/store/keys.js';
import { runStaff } from '../helpers/cli.js';
import { dropPrefix, dumpPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';

const prefix = testPrefix('accounts');
let redis: Redis;
let accounts: StaffAccounts;
const PASSWORD = 'correct horse battery staple';

beforeAll(() => {
  redis = plainRedis();
  accounts = new StaffAccounts(redis, prefix);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('staff console accounts', () => {
  it('a new account has no password and cannot sign in; its one-time link sets one, once', async () => {
    const token = await accounts.add('ayu', 'agent');
    expect(await accounts.signIn('ayu', '')).toEqual({ ok: false, reason: 'invalid' });
    expect((await accounts.linkFor(token))?.name).toBe('ayu');
    await expect(accounts.setPasswordWithLink(token, 'short')).rejects.toMatchObject({ reason: 'short' });
    // A refused password does not use the link up.
    const set = await accounts.setPasswordWithLink(token, PASSWORD);
    expect(set.staff).toEqual({ name: 'ayu', role: 'agent' });
    await expect(accounts.setPasswordWithLink(token, PASSWORD)).rejects.toBeInstanceOf(AccountError);
    expect(await accounts.linkFor(token)).toBeNull();
    const ok = await accounts.signIn('ayu', PASSWORD);
    expect(ok).toEqual({ ok: true, staff: { name: 'ayu', role: 'agent' }, epoch: set.epoch });
    expect(await accounts.signIn('ayu', `${PASSWORD}!`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps only hashes: the password as scrypt with its parameters, the link token as SHA-256, with a 24-hour life', async () => {
    const token = await accounts.add('budi', 'campaign');
    await accounts.setPassword('budi', PASSWORD);
    const dump = await dumpPrefix(redis, prefix);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(token);
    const stored = (await accounts.get('budi'))!.password!;
    expect(stored).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    const other = await accounts.resetLink('budi');
    const ttl = await redis.pttl(`${keyspace(prefix).staffConsole.base}link:${(await redis.hget(keyspace(prefix).staffConsole.linkOf, 'budi'))!}`);
    expect(ttl).toBeGreaterThan(LINK_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(LINK_TTL_MS);
    expect(await accounts.linkFor(token)).toBeNull();
    expect((await accounts.linkFor(other))?.name).toBe('budi');
  });

  it(`locks a name after ${MAX_FAILURES} failures, known or not, with the same answers`, async () => {
    await accounts.add('citra', 'admin');
    await accounts.setPassword('citra', PASSWORD);
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < MAX_FAILURES + 1; i++) {
      const a = await accounts.signIn('citra', 'wrong password here');
      const b = await accounts.signIn('nobody-here', 'wrong password here');
      known.push(a.ok ? 'ok' : a.reason);
      unknown.push(b.ok ? 'ok' : b.reason);
    }
    expect(known).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'locked', 'locked']);
    expect(unknown).toEqual(known);
    // Even the right password, while locked.
    expect(await accounts.signIn('citra', PASSWORD)).toEqual({ ok: false, reason: 'locked' });
    await redis.del(keyspace(prefix).staffConsole.lock('citra'));
    expect((await accounts.signIn('citra', PASSWORD)).ok).toBe(true);
  });

  it('a disabled account cannot sign in and its sessions end (its epoch moves on)', async () => {
    await accounts.add('dewi', 'agent');
    await accounts.setPassword('dewi', PASSWORD);
    const r = await accounts.signIn('dewi', PASSWORD);
    if (!r.ok) throw new Error('not signed in');
    expect(await accounts.current('dewi', r.epoch)).toEqual({ name: 'dewi', role: 'agent' });
    expect(await accounts.disable('dewi')).toBe(true);
    expect(await accounts.current('dewi', r.epoch)).toBeNull();
    expect(await accounts.signIn('dewi', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
    expect((await accounts.list()).find((a) => a.name === 'dewi')?.state).toBe('disabled');
  });
});

describe('a person\'s own test chat, and campaign actions in the audit log', () => {
  it('the person sets their test chat: it becomes the chat of their session, is audited with its channel only, and never undoes a disable', async () => {
    const token = await accounts.add('intan', 'campaign');
    const { epoch } = await accounts.setPasswordWithLink(token, PASSWORD);
    await expect(accounts.setTestChat('intan', { channel: 'telegram', user: 'no spaces' })).rejects.toMatchObject({ reason: 'chat' });
    await accounts.setTestChat('intan', { channel: 'telegram', user: '5550001' });
    expect(await accounts.current('intan', epoch)).toEqual({ name: 'intan', role: 'campaign', chat: 'telegram:5550001' });
    const [entry] = await accounts.audit.recent(1);
    expect(entry).toMatchObject({ by: 'intan', action: 'test-chat-set', account: 'intan', detail: 'telegram' });
    expect(JSON.stringify(await accounts.audit.recent(5))).not.toContain('5550001');
    // Set after a disable: the account stays disabled, without a password.
    await accounts.disable('intan', 'ani');
    await accounts.setTestChat('intan', { channel: 'whatsapp', user: '6281200000000' });
    expect(await accounts.get('intan')).toMatchObject({ disabled: true, password: null, testChat: { channel: 'whatsapp', user: '6281200000000' } });
    await expect(accounts.setTestChat('nobody', { channel: 'telegram', user: '1' })).rejects.toMatchObject({ reason: 'unknown' });
  });

  it('campaign actions are recorded with the campaign id, and a test send\'s chat only as a keyed hash, the same for the same chat', async () => {
    const audit = new CampaignAudit(redis, prefix, 'audit-test-secret-0123');
    await audit.record('dewi', 'campaign-created', 'C261201-ABCDEF', 'starts 2026-12-01T01:00:00.000Z');
    await audit.testSent('dewi', { channel: 'telegram', user: '5550002' });
    await audit.testSent('dewi', { channel: 'telegram', user: '5550002' });
    const [second, first, made] = await accounts.audit.recent(3);
    expect(made).toMatchObject({ by: 'dewi', action: 'campaign-created', campaign: 'C261201-ABCDEF', account: '' });
    expect(first).toMatchObject({ action: 'campaign-test', detail: 'telegram' });
    expect(first!.chat).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(second!.chat).toBe(first!.chat);
    expect(audit.chatRef({ channel: 'telegram', user: '5550003' })).not.toBe(first!.chat);
    expect(JSON.stringify(await accounts.audit.recent(10))).not.toContain('5550002');
  });
});

describe('npm run staff', () => {
  const env = { REDIS_URL, REDIS_PREFIX: prefix, STAFF_CONSOLE_URL: 'https://console.example.org/' };

  it('add-user prints a one-time sign-in link; list-users, reset-link and disable-user work on it', async () => {
    const added = await runStaff(['add-user', '--name', 'eka', '--role', 'agent'], env);
    expect(added.code, added.stderr).toBe(0);
    const token = /^https:\/\/console\.example\.org\/staff\/welcome\?token=([A-Za-z0-9_-]{43})\n$/.exec(added.stdout)?.[1];
    expect(token, added.stdout).toBeDefined();
    expect((await accounts.linkFor(token!))?.name).toBe('eka');
    const again = await runStaff(['add-user', '--name', 'eka', '--role', 'admin'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already an account named eka');
    const list = await runStaff(['list-users', '--json'], env);
    expect(JSON.parse(list.stdout).accounts).toContainEqual(expect.objectContaining({ name: 'eka', role: 'agent', state: 'no-password' }));
    const reset = await runStaff(['reset-link', '--name', 'eka'], env);
    expect(reset.code).toBe(0);
    expect(await accounts.linkFor(token!)).toBeNull();
    expect((await runStaff(['disable-user', '--name', 'eka'], env)).code).toBe(0);
    expect((await accounts.list()).find((a) => a.name === 'eka')?.state).toBe('disabled');
  }, 60_000);

  it('add-user --password-stdin sets the password it reads; a short one makes no account; a wrong role is named', async () => {
    const ok = await runStaff(['add-user', '--name', 'fajar', '--role', 'campaign', '--password-stdin'], env, `${PASSWORD}\n`);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await accounts.signIn('fajar', PASSWORD)).ok).toBe(true);
    const short = await runStaff(['add-user', '--name', 'gita', '--role', 'agent', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    expect(await accounts.get('gita')).toBeNull();
    const role = await runStaff(['add-user', '--name', 'gita', '--role', 'boss'], env);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('role: role must be one of agent, campaign, admin');
    const noRedis = await runStaff(['list-users'], { REDIS_URL: '' });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toContain('REDIS_URL');
  }, 60_000);
});
