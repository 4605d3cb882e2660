// The staff API over real HTTP: a whole Waspada process (real Redis, the fake Telegram Bot API).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenCase } from '../../src/hotline/types.js';
import type { Dashboard } from '../../src/staff/metrics.js';
import { startHarness, textUpdate, type Harness } from '../helpers/telegram.js';
import { png } from '../helpers/media.js';

let h: Harness;
let admin: string;
let agent: string;
let campaign: string;
let chat = 71_000;

function report(user: number, extra: Partial<OpenCase> = {}): OpenCase {
  return {
    kind: 'missing',
    urgent: false,
    lang: 'id',
    reporter: { channel: 'telegram', userId: String(user), contact: null },
    consentShare: true,
    details: { name: 'Siti Aminah', relation: 'kakak', country: 'MY', story: 'tidak ada kabar sejak Maret' },
    ...extra,
  };
}

async function openCase(extra: Partial<OpenCase> = {}): Promise<{ id: string; user: number }> {
  const user = ++chat;
  const { id } = await h.app.hotline.open(report(user, extra), `msg-${user}`);
  return { id, user };
}

/** A response whose JSON the tests read freely. */
type Res = Omit<Response, 'json'> & { json(): Promise<any> };

function api(path: string, init: { token?: string | null; method?: string; body?: unknown; raw?: string; type?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? agent}`;
  let body: string | undefined;
  if (init.raw !== undefined || init.body !== undefined) {
    headers['content-type'] = init.type ?? 'application/json';
    body = init.raw ?? JSON.stringify(init.body);
  }
  return fetch(`${h.app.url}/staff/api${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body }) as unknown as Promise<Res>;
}

beforeAll(async () => {
  h = await startHarness();
  admin = await h.app.tokens.create('ada', 'admin');
  agent = await h.app.tokens.create('budi', 'agent');
  campaign = await h.app.tokens.create('citra', 'campaign');
});
afterAll(async () => {
  await h.close();
});

describe('staff API authentication', () => {
  it('answers 401 with WWW-Authenticate: Bearer without a token, with a wrong one and with a malformed header', async () => {
    for (const auth of [undefined, 'Bearer wsp_not-a-real-token', `Bearer ${agent}x`, `Basic ${Buffer.from('a:b').toString('base64')}`]) {
      const res = await fetch(`${h.app.url}/staff/api/cases`, { headers: auth ? { authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('a replaced token stops working and the new one works; a revoked one stops working', async () => {
    const first = await h.app.tokens.create('dewi', 'agent');
    expect((await api('/cases', { token: first })).status).toBe(200);
    const second = await h.app.tokens.create('dewi', 'agent');
    expect((await api('/cases', { token: first })).status).toBe(401);
    expect((await api('/cases', { token: second })).status).toBe(200);
    await h.app.tokens.revoke('dewi');
    expect((await api('/cases', { token: second })).status).toBe(401);
    expect((await h.app.tokens.list()).map((s) => s.name)).toEqual(['ada', 'budi', 'citra']);
  });

  it('campaign staff get 403 on cases and partners', async () => {
    const { id } = await openCase();
    expect((await api('/cases', { token: campaign })).status).toBe(403);
    expect((await api(`/cases/${id}`, { token: campaign })).status).toBe(403);
    expect((await api(`/cases/${id}/claim`, { token: campaign, method: 'POST' })).status).toBe(403);
    expect((await api('/partners', { token: campaign })).status).toBe(403);
  });
});

describe('staff API requests', () => {
  it('a bad stage, a bad case number, a bad query value or an unknown field is 400 naming the field', async () => {
    const { id } = await openCase();
    const cases: [Res, string][] = [
      [await api(`/cases/${id}/stage`, { body: { stage: 'lost' } }), 'stage'],
      [await api(`/cases/${id}/stage`, { body: { stage: 'closed' } }), 'stage'],
      [await api('/cases/not-a-case'), 'id'],
      [await api('/cases/WSP-1234/notes', { body: { text: 'x' } }), 'id'],
      [await api('/cases?stage=lost'), 'stage'],
      [await api('/cases?limit=0'), 'limit'],
      [await api('/cases?open=maybe'), 'open'],
      [await api('/cases?colour=red'), 'colour'],
      [await api(`/cases/${id}/notes`, { body: { text: 'x', extra: 1 } }), 'extra'],
      [await api(`/cases/${id}/notes`, { body: { family: true } }), 'text'],
      [await api(`/cases/${id}/notes`, { body: { text: '   ' } }), 'text'],
      [await api(`/cases/${id}/refer`, { body: { partner: 'nobody' } }), 'partner'],
      [await api(`/cases/${id}/close`, { body: { outcome: 'Found It!' } }), 'outcome'],
    ];
    for (const [res, field] of cases) {
      expect(res.status, field).toBe(400);
      expect((await res.json()).field).toBe(field);
    }
  });

  it('malformed JSON and a body that is not JSON are 400; a body over 16 kB is 413', async () => {
    const { id } = await openCase();
    const bad = await api(`/cases/${id}/notes`, { raw: '{"text": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'body' });
    const form = await api(`/cases/${id}/notes`, { raw: 'text=hello', type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    const big = await api(`/cases/${id}/notes`, { raw: JSON.stringify({ text: 'x'.repeat(17 * 1024) }) });
    expect(big.status).toBe(413);
    // Nothing of it was written.
    const shown = await (await api(`/cases/${id}`)).json();
    expect(shown.case.notes).toEqual([]);
  });

  it('an unknown case is 404, a change to a closed case is 409, an unknown route is 404', async () => {
    expect((await api('/cases/WSP-0000-00')).status).toBe(404);
    expect((await api('/cases/WSP-0000-00/close', { body: { outcome: 'found' } })).status).toBe(404);
    const { id } = await openCase();
    expect((await api(`/cases/${id}/close`, { body: { outcome: 'duplicate' } })).status).toBe(200);
    expect((await api(`/cases/${id}/stage`, { body: { stage: 'verified' } })).status).toBe(409);
    expect((await api('/nothing-here')).status).toBe(404);
  });

  it('lists, shows, claims, notes, refers, stages and closes a case, typed case numbers included', async () => {
    const { id } = await openCase({ urgent: true, kind: 'urgent' });
    const listed = await api('/cases?open=true&urgent=true');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const { cases } = await listed.json();
    const mine = cases.find((c: { id: string }) => c.id === id);
    expect(mine).toMatchObject({ id, stage: 'received', urgent: true, claimedBy: null });
    expect(mine).not.toHaveProperty('details');
    expect(mine).not.toHaveProperty('reporter');

    // A case number as people type it: lower case, no dashes.
    const shown = await (await api(`/cases/${id.toLowerCase().replace(/-/g, '')}`)).json();
    expect(shown.case.details.name).toBe('Siti Aminah');
    expect(shown.events.map((e: { type: string }) => e.type)).toEqual(['opened']);

    const claimed = await (await api(`/cases/${id}/claim`, { method: 'POST' })).json();
    expect(claimed.case).toMatchObject({ id, claimedBy: 'budi' });
    expect((await api(`/cases/${id}/claim`, { method: 'POST', token: admin })).status).toBe(409);

    const noted = await (await api(`/cases/${id}/notes`, { body: { text: 'called the embassy' } })).json();
    expect(noted.case.notes).toMatchObject([{ by: 'budi', text: 'called the embassy', family: false }]);
    expect((await (await api(`/cases/${id}/stage`, { body: { stage: 'verified' } })).json()).case.stage).toBe('verified');
    expect((await (await api(`/cases/${id}/refer`, { body: { partner: 'kemlu_pwni' } })).json()).case).toMatchObject({ stage: 'referred', partner: 'kemlu_pwni' });
    const closed = await (await api(`/cases/${id}/close`, { body: { outcome: 'found' } })).json();
    expect(closed.case).toMatchObject({ stage: 'closed', outcome: 'found' });

    const history = await (await api(`/cases/${id}`)).json();
    expect(history.events.map((e: { type: string }) => e.type).filter((t: string) => t !== 'shown')).toEqual(['opened', 'claimed', 'noted', 'stage', 'referred', 'closed']);
    expect((await (await api(`/cases?stage=closed&limit=500`)).json()).cases.map((c: { id: string }) => c.id)).toContain(id);
  });

  it('claims the next case of the queue, urgent first, and {case: null} once the queue is empty', async () => {
    // Empty the queue of what earlier tests opened.
    while ((await (await api('/claim', { method: 'POST', token: admin })).json()).case);
    const calm = await openCase();
    const urgent = await openCase({ urgent: true, kind: 'urgent' });
    const first = await (await api('/claim', { method: 'POST' })).json();
    expect(first.case.id).toBe(urgent.id);
    expect(first.case.claimedBy).toBe('budi');
    expect((await (await api('/claim', { method: 'POST' })).json()).case.id).toBe(calm.id);
    const none = await api('/claim', { method: 'POST' });
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({ case: null });
    const queued = await (await api('/cases?queued=true')).json();
    expect(queued.cases).toEqual([]);
  });

  it('lists the referral partners', async () => {
    const { partners } = await (await api('/partners')).json();
    expect(partners.find((p: { id: string }) => p.id === 'kemlu_pwni')).toMatchObject({ kind: expect.any(String), country: 'ID' });
  });
});

describe('staff API and the family', () => {
  it('a family-visible note reaches the family through the outbox; an internal note does not', async () => {
    const { id, user } = await openCase();
    const before = (await h.app.outbox.counts()).telegram?.queued ?? 0;
    expect((await api(`/cases/${id}/notes`, { body: { text: 'internal: checking the agency licence' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.texts(user)).toEqual([]);
    expect((await h.app.outbox.counts()).telegram?.queued ?? 0).toBe(before);

    expect((await api(`/cases/${id}/notes`, { body: { text: 'Kami sudah menghubungi KBRI Kuala Lumpur', family: true } })).status).toBe(200);
    const texts = await h.until(user, 1);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Kami sudah menghubungi KBRI Kuala Lumpur');
    expect(texts[0]).toContain(id);
    expect(texts.join('\n')).not.toContain('agency licence');
    expect((await h.app.outbox.counts()).telegram?.queued ?? 0).toBe(before + 1);
  });

  it('a stage change is told to the family', async () => {
    const { id, user } = await openCase();
    expect((await api(`/cases/${id}/stage`, { body: { stage: 'assistance' } })).status).toBe(200);
    const texts = await h.until(user, 1);
    expect(texts[0]).toContain(id);
  });
});

describe('staff API audit log', () => {
  it('records reads and changes by whom, and only admins read it', async () => {
    const { id } = await openCase();
    await api(`/cases/${id}`);
    await api(`/cases/${id}/notes`, { body: { text: 'secret words of the family' } });
    await api(`/cases/${id}/stage`, { body: { stage: 'verified' } });

    expect((await api(`/cases/${id}/audit`)).status).toBe(403);
    expect((await api('/audit')).status).toBe(403);
    expect((await api('/audit', { token: campaign })).status).toBe(403);

    const res = await api(`/cases/${id}/audit`, { token: admin });
    expect(res.status).toBe(200);
    const { entries } = await res.json();
    const actions = entries.map((e: { by: string; action: string }) => `${e.by}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['budi:read', 'budi:note', 'budi:stage']));
    expect(JSON.stringify(entries)).not.toContain('secret words');

    const all = await (await api('/audit?limit=1000', { token: admin })).json();
    expect(all.entries.some((e: { by: string; action: string; case: string | null }) => e.by === 'budi' && e.action === 'list' && e.case === null)).toBe(true);
    // Reading the audit log is itself audited.
    const again = await (await api(`/cases/${id}/audit`, { token: admin })).json();
    expect(again.entries.some((e: { by: string; action: string }) => e.by === 'ada' && e.action === 'audit')).toBe(true);
    expect((await api('/audit?limit=abc', { token: admin })).status).toBe(400);
  });
});

describe('staff API: campaigns', () => {
  it('campaign staff create a campaign (201), read it and pause, resume and cancel it; agents may not (403)', async () => {
    await h.app.subscribers.subscribe({ channel: 'telegram', user: '72001', lang: 'id', topics: ['scam-alerts'], region: 'NB', destination: null, consentedAt: Date.now() });
    const dry = await api('/campaigns', { token: campaign, body: { texts: { id: 'Hati-hati.' }, segment: { region: 'NB' }, dryRun: true } });
    expect(dry.status).toBe(200);
    expect((await dry.json()).counts.telegram.id).toBe(1);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const created = await api('/campaigns', { token: campaign, body: { texts: { id: 'Hati-hati lowongan palsu.' }, segment: { topics: ['scam-alerts'], region: 'NB' }, at } });
    expect(created.status).toBe(201);
    const c = await created.json();
    expect(c).toMatchObject({ state: 'scheduled', by: 'citra', segment: { region: 'NB' } });
    expect((await (await api(`/campaigns/${c.id}`, { token: admin })).json()).state).toBe('scheduled');
    expect((await (await api(`/campaigns/${c.id}/pause`, { token: campaign, method: 'POST' })).json()).state).toBe('paused');
    expect((await (await api(`/campaigns/${c.id}/resume`, { token: campaign, method: 'POST' })).json()).state).toBe('scheduled');
    expect((await (await api(`/campaigns/${c.id}/cancel`, { token: campaign, method: 'POST' })).json()).state).toBe('cancelled');
    expect((await api('/campaigns', { token: agent, body: { texts: { id: 'x' }, segment: {} } })).status).toBe(403);
    expect((await api(`/campaigns/${c.id}`, { token: agent })).status).toBe(403);
  });

  it('refuses a campaign without text, with an unknown segment field or topic, or too long, naming the field (400); an unknown id is 404', async () => {
    const bad = async (body: unknown) => {
      const r = await api('/campaigns', { token: campaign, body });
      return [r.status, (await r.json()).field];
    };
    expect(await bad({ texts: {}, segment: {} })).toEqual([400, 'texts']);
    expect(await bad({ texts: { id: 'x' }, segment: { colour: 'red' } })).toEqual([400, 'colour']);
    expect(await bad({ texts: { id: 'x' }, segment: { topics: ['lottery'] } })).toEqual([400, 'segment.topics.0']);
    expect(await bad({ texts: { id: 'x'.repeat(5000) }, segment: {} })).toEqual([400, 'texts.id']);
    expect((await api('/campaigns/C261130-ABCDEF', { token: campaign })).status).toBe(404);
    expect((await api('/campaigns/nope', { token: campaign })).status).toBe(400);
  });

  it('campaign staff upload a picture (201: its id, and what it is from its bytes), and send a test to their own registered chat only; what is not a picture or video is 400, too big 413, a file not kept 400', async () => {
    const upload = (body: Buffer, token = campaign, type = 'application/octet-stream') =>
      fetch(`${h.app.url}/staff/api/media`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body }) as unknown as Promise<Res>;
    const up = await upload(png(40, 30), campaign, 'image/png');
    expect(up.status).toBe(201);
    const ref = await up.json();
    expect(ref).toMatchObject({ kind: 'image', mime: 'image/png', width: 40, height: 30 });
    expect(ref.id).toMatch(/^[0-9a-f]{64}$/);
    // Named a picture, but text: what it is comes from its bytes.
    const notPicture = await upload(Buffer.from('hello, not a picture'), campaign, 'image/jpeg');
    expect([notPicture.status, (await notPicture.json()).error]).toEqual([400, expect.stringMatching(/not a JPEG or PNG/)]);
    expect((await upload(png(4, 4, { atLeast: 17 * 1024 * 1024 }))).status).toBe(413);
    expect((await upload(png(), agent)).status).toBe(403);
    const unknown = await api('/campaigns', { token: campaign, body: { texts: { id: 'x' }, segment: {}, media: 'ab'.repeat(32) } });
    expect([unknown.status, (await unknown.json()).field]).toEqual([400, 'media']);
    // A test goes only to the staff member's own chat, registered with their token.
    const staffChat = 72_999;
    const withChat = await h.app.tokens.create('dewi', 'campaign', `telegram:${staffChat}`);
    const test = await api('/campaigns/test', { token: withChat, body: { texts: { id: 'Uji pesan kampanye.' } } });
    expect([test.status, await test.json()]).toEqual([200, { test: true, results: { id: 'queued' } }]);
    await h.fake.waitFor(() => h.fake.sent(staffChat).length === 1, 5000);
    expect(h.fake.sent(staffChat)[0]!.text).toContain('Uji pesan kampanye.');
    const elsewhere = await api('/campaigns/test', { token: withChat, body: { texts: { id: 'x' }, to: { channel: 'telegram', user: '72001' } } });
    expect([elsewhere.status, (await elsewhere.json()).field]).toEqual([403, 'to']);
    const noChat = await api('/campaigns/test', { token: campaign, body: { texts: { id: 'x' }, to: { channel: 'telegram', user: String(staffChat) } } });
    expect([noChat.status, (await noChat.json()).error]).toEqual([403, expect.stringMatching(/--chat/)]);
    expect(h.fake.sent(72001)).toHaveLength(0);
    expect((await api('/campaigns/test', { token: agent, body: { texts: { id: 'x' }, to: { channel: 'telegram', user: '1' } } })).status).toBe(403);
  });
});

describe('staff API: the dashboard', () => {
  const dashboard = async (token: string, query = '') => {
    const res = await api(`/dashboard${query}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as Dashboard;
  };

  it('answers 401 without a token and 403 to a hotline agent', async () => {
    const none = await api('/dashboard', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await api('/dashboard', { token: agent })).status).toBe(403);
  });

  it('gives admins and campaign staff the last 30 days: a conversation on Telegram and a case opened show', async () => {
    await h.app.metrics.flush();
    const before = await dashboard(admin);
    const user = 88_001;
    expect((await h.post(textUpdate(user, 'halo'))).status).toBe(200);
    await h.until(user, 1);
    await openCase({ urgent: true });
    await h.app.metrics.flush();
    const res = await api('/dashboard', { token: admin });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const after = (await res.json()) as Dashboard;
    expect(after.days).toHaveLength(30);
    expect(after.totals.conversations.telegram).toBe((before.totals.conversations.telegram ?? 0) + 1);
    expect(after.totals.cases.opened).toBe(before.totals.cases.opened + 1);
    expect(after.totals.cases.urgent).toBe(before.totals.cases.urgent + 1);
    // Subscribers now, by language (earlier tests here subscribed people for campaigns).
    expect(Object.keys(after.subscribers!)).toEqual(['id', 'en']);
    expect(after.subscribers).toEqual(before.subscribers);
    expect(JSON.stringify(after)).not.toContain(String(user));
    expect((await dashboard(campaign, '?days=7')).days).toHaveLength(7);
  });

  it('refuses a number of days out of range or an unknown query field, naming it (400)', async () => {
    for (const [query, field] of [['?days=0', 'days'], ['?days=36', 'days'], ['?days=abc', 'days'], ['?from=2025-01-01', 'from']]) {
      const res = await api(`/dashboard${query}`, { token: admin });
      expect([res.status, (await res.json()).field], query).toEqual([400, field]);
    }
  });
});
