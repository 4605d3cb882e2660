// One contract for the case store, run against Redis and against memory (the demo).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { findCaseId, findSecret, MemoryCaseStore, normaliseCaseId, RedisCaseStore, type CaseStore } from '../../src/hotline/cases.js';
import type { OpenCase } from '../../src/hotline/types.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { TEST_CIPHER } from '../helpers/stores.js';

const report = (over: Partial<OpenCase> = {}): OpenCase => ({
  kind: 'missing',
  urgent: false,
  lang: 'id',
  consentShare: true,
  reporter: { channel: 'telegram', userId: '42', contact: '+6281255501234' },
  details: { name: 'Rina Wulandari', age: 24, country: 'KH', story: 'paspor ditahan' },
  ...over,
});
const opts = (onceKey: string, now = 1000, ownerRef = 'owner-a') => ({ onceKey, ownerRef, secretRef: (id: string, s: string) => `${id}:${s}`, now });

let redis: Redis;
const prefix = testPrefix('cases');
beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe.each([
  ['redis', () => new RedisCaseStore(redis, `${prefix}:${Math.random().toString(36).slice(2, 8)}`, TEST_CIPHER)],
  ['memory', () => new MemoryCaseStore()],
] as const)('case store (%s)', (_name, make) => {
  let store: CaseStore;
  beforeAll(() => {
    store = make();
  });

  it('opens a case with a short readable number and a secret; the same message opens it once', async () => {
    const a = await store.open(report(), opts('msg-1'));
    expect(a.id).toMatch(/^WSP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
    expect(a.secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(a.created).toBe(true);
    const again = await store.open(report(), opts('msg-1'));
    expect(again).toEqual({ id: a.id, secret: a.secret, created: false });
    const c = await store.get(a.id);
    expect(c).toMatchObject({ id: a.id, stage: 'received', kind: 'missing', claimedBy: null, details: { name: 'Rina Wulandari', age: 24 }, reporter: { userId: '42' } });
    expect((await store.events(a.id)).map((e) => e.type)).toEqual(['opened']);
  });

  it('finds a chat’s own cases by its reference, and a case by its secret only', async () => {
    const mine = await store.open(report(), opts('msg-own', 2000, 'owner-b'));
    expect((await store.byOwner('owner-b')).map((c) => c.id)).toEqual([mine.id]);
    expect(await store.byOwner('owner-nobody')).toEqual([]);
    expect(await store.secretMatches(mine.id, `${mine.id}:${mine.secret}`)).toBe(true);
    expect(await store.secretMatches(mine.id, `${mine.id}:WRONG1`)).toBe(false);
  });

  it('hands out urgent cases first, then the oldest; a claim nobody acts on returns to the queue', async () => {
    const s = make();
    const old = await s.open(report(), opts('q-old', 10));
    const urgent = await s.open(report({ kind: 'urgent', urgent: true }), opts('q-urgent', 20));
    const first = await s.claimNext('ani', 100, 1000);
    expect(first?.id).toBe(urgent.id);
    expect(first?.claimedBy).toBe('ani');
    expect((await s.claimNext('budi', 100, 1000))?.id).toBe(old.id);
    expect(await s.claimNext('citra', 100, 1000)).toBeNull();
    // Budi acts on his case (it stays his); Ani does not: hers returns at 1100.
    await s.update(old.id, 200, (c) => ({ case: { ...c, claimUntil: null }, event: { type: 'noted', at: 200, by: 'budi' } }));
    expect(await s.returnExpired(1101)).toBe(1);
    const back = await s.claimNext('citra', 1102, 1000);
    expect(back?.id).toBe(urgent.id);
    expect((await s.get(old.id))?.claimedBy).toBe('budi');
    expect((await s.events(urgent.id)).map((e) => e.type)).toEqual(['opened', 'claimed', 'returned', 'claimed']);
  });

  it('changes are compare-and-set: a refused change writes nothing, a change bumps the version', async () => {
    const s = make();
    const { id } = await s.open(report(), opts('cas'));
    const before = (await s.get(id))!;
    expect(await s.update(id, 5, () => ({ refused: 'nope' }))).toEqual({ ok: false, reason: 'nope' });
    expect((await s.get(id))!.version).toBe(before.version);
    const r = await s.update(id, 6, (c) => ({ case: { ...c, stage: 'verified' }, event: { type: 'stage', at: 6, by: 'ani' }, audit: { by: 'ani', role: 'agent', action: 'stage', detail: 'verified' } }));
    expect(r.ok && r.case.version).toBe(before.version + 1);
    expect((await s.get(id))!.stage).toBe('verified');
    expect((await s.auditOf(id)).map((a) => a.action)).toEqual(['open', 'stage']);
    expect(await s.update('WSP-0000-00', 7, (c) => ({ case: c, event: null }))).toEqual({ ok: false, reason: 'not_found' });
  });

  it('lists without personal fields, filtered; closed cases wait for their retention', async () => {
    const s = make();
    const a = await s.open(report(), opts('l-a', 1));
    const b = await s.open(report({ urgent: true }), opts('l-b', 2));
    await s.update(a.id, 3, (c) => ({ case: { ...c, stage: 'closed', closedAt: 3, outcome: 'found' }, event: { type: 'closed', at: 3, by: 'ani' } }));
    const all = await s.list();
    expect(all.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(JSON.stringify(all)).not.toContain('Rina');
    expect((await s.list({ open: true })).map((c) => c.id)).toEqual([b.id]);
    expect((await s.list({ queued: true })).map((c) => c.id)).toEqual([b.id]);
    expect(await s.closedBefore(3)).toEqual([a.id]);
    expect(await s.closedBefore(2)).toEqual([]);
  });

  it('counts the cases in each stage, closed ones included, every stage named', async () => {
    const s = make();
    expect(await s.stages()).toEqual({ received: 0, verified: 0, referred: 0, assistance: 0, returned: 0, reintegrated: 0, closed: 0 });
    const [a, , c] = [await s.open(report(), opts('st-a')), await s.open(report(), opts('st-b')), await s.open(report(), opts('st-c'))];
    await s.update(a.id, 2, (x) => ({ case: { ...x, stage: 'verified' }, event: null }));
    await s.update(c.id, 3, (x) => ({ case: { ...x, stage: 'closed', closedAt: 3, outcome: 'found' }, event: null }));
    expect(await s.stages()).toMatchObject({ received: 1, verified: 1, closed: 1, referred: 0 });
  });

  it('a watcher’s group reads each new case once', async () => {
    const s = make();
    const { id } = await s.open(report({ urgent: true }), opts('w-1'));
    const seen = await s.watch('console', 'w1', 10);
    expect(seen.map(({ id: c, urgent }) => ({ id: c, urgent }))).toEqual([{ id, urgent: true }]);
    // Not acknowledged (the watcher stopped before it was done): given again.
    expect((await s.watch('console', 'w1', 10)).map((e) => e.id)).toEqual([id]);
    await s.watched('console', seen.map((e) => e.entry));
    expect(await s.watch('console', 'w1', 10)).toEqual([]);
  });
});

describe('case numbers', () => {
  it('are read as people type them: any case, spaces, O for 0, I or L for 1', () => {
    expect(normaliseCaseId('wsp 7k3m 9q')).toBe('WSP-7K3M-9Q');
    expect(normaliseCaseId('WSP-OK3M-IQ')).toBe('WSP-0K3M-1Q');
    expect(normaliseCaseId('WSP-7K3M')).toBeNull();
    expect(normaliseCaseId('hello')).toBeNull();
  });

  it('are found in a longer answer (a confirmation pasted whole, a sentence), and so is the secret', () => {
    const confirmation = 'Nomor kasus: WSP-7K3M-9Q\nKode rahasia: 77Q3TQ\nSimpan keduanya.';
    expect(findCaseId(confirmation)).toBe('WSP-7K3M-9Q');
    expect(findCaseId('nomor kasus saya wsp 7k3m 9q ya kak')).toBe('WSP-7K3M-9Q');
    expect(findCaseId('hello')).toBeNull();
    for (const typed of [confirmation, 'Secret code: 77q3tq', 'kodenya 77Q3TQ', '77Q 3TQ', '77q3tq', 'the secret is 77Q3TQ', 'kode rahasianya adalah 77Q3TQ']) expect(findSecret(typed), typed).toBe('77Q3TQ');
  });
});
