// GET /staff/api/dashboard over real HTTP, on a whole Waspada process (real Redis, the fake Bot API):
// who may read it, and that a message through the Telegram webhook and a case show in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../src/staff/metrics.js';
import { startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

let h: Harness;
let admin: string;
let agent: string;
let campaign: string;

const dashboard = (token: string | null, query = '') =>
  fetch(`${h.app.url}/staff/api/dashboard${query}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  h = await startHarness();
  admin = await h.app.tokens.create('ada', 'admin');
  agent = await h.app.tokens.create('budi', 'agent');
  campaign = await h.app.tokens.create('citra', 'campaign');
});
afterAll(async () => {
  await h.close();
});

describe('staff API: the dashboard', () => {
  it('answers 401 without a token and 403 to a hotline agent', async () => {
    const none = await dashboard(null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await dashboard(agent)).status).toBe(403);
  });

  it('gives admins and campaign staff the last 30 days: a conversation on Telegram and a case opened show', async () => {
    const user = 88_001;
    expect((await h.post(textUpdate(user, 'halo'))).status).toBe(200);
    await h.until(user, 1);
    await h.app.hotline.open({ kind: 'missing', urgent: true, lang: 'id', consentShare: false, reporter: { channel: 'telegram', userId: String(user), contact: null }, details: { name: 'Siti' } }, 'dash-once');
    await h.app.metrics.flush();
    const res = await dashboard(admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Dashboard;
    expect(body.days).toHaveLength(30);
    expect(body.totals.conversations).toEqual({ telegram: 1 });
    expect(body.totals.cases).toMatchObject({ opened: 1, urgent: 1 });
    expect(body.subscribers).toEqual({ id: 0, en: 0 });
    expect(JSON.stringify(body)).not.toContain(String(user));
    const seven = await dashboard(campaign, '?days=7');
    expect(seven.status).toBe(200);
    expect(((await seven.json()) as Dashboard).days).toHaveLength(7);
  });

  it('refuses a number of days out of range or an unknown query field, naming it (400)', async () => {
    for (const [query, field] of [['?days=0', 'days'], ['?days=36', 'days'], ['?days=abc', 'days'], ['?from=2025-01-01', 'from']]) {
      const res = await dashboard(admin, query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { field?: string }).field).toBe(field);
    }
  });
});
