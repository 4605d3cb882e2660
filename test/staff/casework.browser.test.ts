// The case page's casework in a real browser (one server process on real Redis, Telegram the local
// fake Bot API, Debian's Chromium): the identification interview and its suggested referral, the
// referral packet's downloads (audited), duplicate reports and linking, safety mode switched on by
// staff; and, on the broadcast side, the staff audit log of campaign actions (console and JSON API)
// and test sends that go only to the chat saved on the person's account. Cases are opened straight
// through the hotline service on the server's prefix, as the chat would open them.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { DuplicateIndex } from '../../src/hotline/duplicates.js';
import { loadIndicators } from '../../src/hotline/indicators.js';
import { HotlineService } from '../../src/hotline/service.js';
import type { CaseDetails } from '../../src/hotline/types.js';
import { StaffTokens } from '../../src/staff/tokens.js';
import { DataCipher } from '../../src/store/cipher.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { SHOTS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/console-browser.js';
import { DATA_KEY } from '../helpers/redis.js';
import { TOKEN, unescape } from '../helpers/telegram.js';

const HASH_SECRET = 'casework-hash-secret-0123';
const DESKTOP = { width: 1280, height: 900 };
const indicators = loadIndicators();
const question = (id: string) => indicators.byId.get(id)!.question.en;

let fake: FakeTelegram;
let cb: ConsoleBrowser;
let hotline: HotlineService;
let chat = 7400;

const textsTo = (user: number): string[] => fake.sent(user).map((m: { text?: string }) => unescape(m.text ?? ''));

/** A report opened as the chat opens one; the reporter's Telegram chat id is returned with it. */
async function report(details: CaseDetails, consentShare = true): Promise<{ id: string; user: number }> {
  const user = ++chat;
  const opened = await hotline.open({ kind: 'missing', urgent: false, lang: 'en', reporter: { channel: 'telegram', userId: String(user), contact: null }, consentShare, details }, `casework-${user}`);
  return { id: opened.id, user };
}

const signedIn = (name: string, role: 'agent' | 'campaign' | 'admin', size?: { width: number; height: number }) => cb.signedIn(name, role, size);

const status = (page: Page) => page.locator('p.note[role="status"]').textContent();

beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  cb = await startConsoleBrowser('casework', { HASH_SECRET, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_RATE_PER_CHAT: '1000', TELEGRAM_BURST_PER_CHAT: '20', TELEGRAM_RATE_GLOBAL: '100000' });
  hotline = new HotlineService({ store: new RedisCaseStore(cb.redis, cb.prefix, DataCipher.fromConfig(DATA_KEY)), hashSecret: HASH_SECRET, duplicates: new DuplicateIndex(cb.redis, cb.prefix, HASH_SECRET) });
}, 60_000);

afterAll(async () => {
  await cb?.close();
  await fake?.close();
}, 30_000);

describe('casework on the case page', () => {
  let ratna = '';

  it('an agent fills the identification interview, sees the result and the suggested referral, and refers the case there with one click', async () => {
    ({ id: ratna } = await report({ name: 'Ratna Sari', age: 27, country: 'MY', city: 'Johor Bahru', employer: 'PT Maju Jaya', story: 'Paspornya ditahan majikan.' }));
    const page = await signedIn('sinta', 'agent', DESKTOP);
    await page.goto(`/staff/cases/${ratna}?lang=en`);
    expect(await page.locator('#h-ident + p').textContent()).toBe('The interview has not been filled in yet.');
    await page.getByRole('group', { name: question('passport_held_by_someone_else') }).getByLabel('Yes', { exact: true }).check();
    await page.getByRole('group', { name: question('wages_withheld') }).getByLabel('Yes', { exact: true }).check();
    await page.getByRole('group', { name: question('false_documents') }).getByLabel('No', { exact: true }).check();
    await page.getByLabel('Passport held by').selectOption('employer');
    await page.getByLabel('Passport number').fill('c 123-4567');
    await page.getByLabel('Home province').selectOption('NB');
    await page.getByLabel('First need').selectOption('consular');
    await page.getByRole('button', { name: 'Save the interview' }).click();
    expect(await status(page)).toBe('Identification interview saved.');
    const result = page.locator('#h-ident ~ .result');
    expect(await result.textContent()).toContain('Indicators present: refer for formal identification.');
    expect(await result.textContent()).toContain(question('passport_held_by_someone_else'));
    // The answers are kept: the page shows them again.
    expect(await page.getByRole('group', { name: question('wages_withheld') }).getByLabel('Yes', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Passport held by').inputValue()).toBe('employer');
    expect(await page.locator('section[aria-labelledby="h-ident"]').textContent()).toContain('Suggested: Indonesian Embassy in Kuala Lumpur (Malaysia)');
    await page.screenshot({ path: `${SHOTS}/case-work-en-desktop.png`, fullPage: true });
    await page.goto(`/staff/cases/${ratna}?lang=id`);
    expect(await page.locator('section[aria-labelledby="h-ident"]').textContent()).toContain('Ada indikator: rujuk untuk identifikasi resmi.');
    await page.screenshot({ path: `${SHOTS}/case-work-id-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 760 });
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/case-work-id-390.png`, fullPage: true });
    await page.goto(`/staff/cases/${ratna}?lang=en`);
    await page.screenshot({ path: `${SHOTS}/case-work-en-390.png`, fullPage: true });

    await page.getByRole('button', { name: 'Refer to Indonesian Embassy in Kuala Lumpur (Malaysia)' }).click();
    expect(await status(page)).toBe('Case referred; the family is told.');
    expect(await page.locator('dl.fields').first().textContent()).toContain('Indonesian Embassy in Kuala Lumpur');
    expect(await page.locator('section[aria-labelledby="h-ident"]').textContent()).toContain('The case is already referred to this office.');
    // The interview is audited as filled, never with its answers.
    const audit = await hotline.store.auditOf(ratna);
    expect(audit.some((e) => e.action === 'identify' && e.by === 'sinta' && e.detail === 'indicated')).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/wages_withheld|1234567/);
  });

  it('the referral packet downloads as PDF and JSON from the case page, each export in the audit trail; without consent the page says so', async () => {
    const page = await signedIn('tika', 'agent', DESKTOP);
    await page.goto(`/staff/cases/${ratna}?lang=en`);
    // Opening the page is one read in the audit trail, its sections included.
    expect((await hotline.store.auditOf(ratna)).filter((e) => e.by === 'tika')).toHaveLength(1);
    const download = async (name: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
      return readFileSync((await d.path())!);
    };
    const pdf = await download('Download the referral packet (PDF)');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const json = JSON.parse((await download('Download the referral packet (JSON)')).toString('utf8'));
    expect(json).toMatchObject({ case: ratna, person: { name: 'Ratna Sari' }, passport: { heldBy: 'employer' }, identification: { indicated: true } });
    expect(JSON.stringify(json)).not.toContain('1234567');

    const admin = await signedIn('umar', 'admin', DESKTOP);
    await admin.goto(`/staff/cases/${ratna}/audit?lang=en`);
    const rows = (await admin.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' '));
    expect(rows.some((r) => r.includes('tika') && r.includes('export') && r.includes('pdf'))).toBe(true);
    expect(rows.some((r) => r.includes('tika') && r.includes('export') && r.includes('json'))).toBe(true);

    const { id: secret } = await report({ name: 'Yuni', country: 'SA' }, false);
    await page.goto(`/staff/cases/${secret}?lang=en`);
    expect(await page.locator('section[aria-labelledby="h-packet"]').textContent()).toContain('did not agree to share the case with partner offices: there is no referral packet');
    expect(await page.getByRole('link', { name: /Download the referral packet/ }).count()).toBe(0);
    const refused = await page.goto(`/staff/cases/${secret}/packet.pdf`);
    expect(refused!.status()).toBe(409);
    expect(await page.getByRole('alert').textContent()).toContain('No referral packet');
    expect((await hotline.store.auditOf(secret)).some((e) => e.action === 'export')).toBe(false);
  });

  it('two families’ reports of one person show each other as possible duplicates, and linking them shows the link on both', async () => {
    const { id: first } = await report({ name: 'Siti Aminah', country: 'SA', city: 'Riyadh' });
    const { id: second } = await report({ name: 'Sity Aminnah', country: 'SA', relation: 'adik' });
    const page = await signedIn('vina', 'agent');
    await page.goto(`/staff/cases/${first}?lang=en`);
    const section = page.locator('section[aria-labelledby="h-dups"]');
    expect(await section.getByRole('link', { name: second }).count()).toBe(1);
    expect(await section.textContent()).toContain('Matches on: name and country');
    // Nothing personal of the other case is shown here: its number, stage and why it matches.
    expect(await section.textContent()).not.toContain('Sity Aminnah');
    await page.getByRole('button', { name: `Link with ${second}: same person` }).click();
    expect(await status(page)).toBe('Cases linked as reports of the same person.');
    expect(await page.locator('ul.linked').textContent()).toBe(second);
    await page.goto(`/staff/cases/${second}?lang=en`);
    expect(await page.locator('ul.linked').textContent()).toBe(first);
    expect(await page.getByRole('button', { name: /Link with/ }).count()).toBe(0);
    expect(await hotline.duplicates!.linked(first)).toEqual([second]);
  });

  it('safety mode switched on from the case page withholds a note shared with the family; another family still gets theirs', async () => {
    const guarded = await report({ name: 'Lina', country: 'MY' });
    const control = await report({ name: 'Mira', country: 'SG' });
    const page = await signedIn('wawan', 'agent');
    await page.goto(`/staff/cases/${guarded.id}?lang=en`);
    expect(await page.locator('#safety-hint').textContent()).toBe('Once on, nothing will be sent to them unasked; only they can switch it off, in the chat.');
    await page.getByRole('button', { name: 'Switch safety mode on' }).click();
    expect(await status(page)).toBe('Safety mode switched on for the reporter: nothing is sent to them unless they ask.');
    expect(await page.locator('section[aria-labelledby="h-safety"]').textContent()).toContain('Safety mode is on for the reporter (switched on by staff).');
    // Off is not offered: only the person switches it off, in the chat.
    expect(await page.getByRole('button', { name: /safety mode/i }).count()).toBe(0);
    const note = async (id: string, text: string) => {
      await page.goto(`/staff/cases/${id}?lang=en`);
      await page.getByLabel('Note', { exact: true }).fill(text);
      await page.getByLabel('Staff and the family (sent to their chat)').check();
      await page.getByRole('button', { name: 'Add note' }).click();
      expect(await status(page)).toBe("Note added; it is on its way to the family's chat.");
    };
    await note(guarded.id, 'Kami sudah menghubungi KBRI.');
    await note(control.id, 'Kami sudah menghubungi KBRI Singapura.');
    // The second family's note goes out after the first was handed over (or withheld).
    await fake.waitFor(() => textsTo(control.user).some((t) => t.includes('KBRI Singapura')), 15_000);
    expect(fake.sent(guarded.user)).toEqual([]);
    const c = await hotline.store.get(guarded.id);
    expect(c!.safety).toBe(true);
  });
});

describe('campaigns in the staff audit log, and test sends only to one’s own chat', () => {
  it('a campaign made and cancelled in the console and through the API, and test sends from both, are in the audit log admins read; a console test goes only to the saved chat', async () => {
    const page = await signedIn('xena', 'campaign', DESKTOP);
    page.on('dialog', (d) => void d.accept());
    await page.goto('/staff/account?lang=en');
    expect(await page.locator('main').textContent()).toContain('No test chat yet');
    await page.getByLabel('Your chat id').fill('7490');
    await page.getByRole('button', { name: 'Save my test chat' }).click();
    expect(await status(page)).toBe('Test chat saved.');
    expect(await page.locator('main').textContent()).toContain('Campaign tests go only to: telegram · 7490.');

    const TEXT = 'Uji coba: hati-hati lowongan tanpa biaya resmi.';
    await page.goto('/staff/broadcasts/new?lang=en');
    await page.getByLabel('Message in Bahasa Indonesia').fill(TEXT);
    await page.getByRole('button', { name: 'Send me a test' }).click();
    expect(await page.getByRole('status').first().textContent()).toBe('Test handed to the outbox: Bahasa Indonesia: queued.');
    await fake.waitFor(() => textsTo(7490).some((t) => t.includes('hati-hati lowongan')), 15_000);
    // A form field naming another chat is not read: the test goes to the saved chat alone.
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const forged = await page.request.post('/staff/broadcasts/new', { form: { _csrf: csrf!, do: 'test', text_id: 'Lain', test_channel: 'telegram', test_user: '7491' } });
    expect(forged.status()).toBe(200);
    await fake.waitFor(() => textsTo(7490).some((t) => t.includes('Lain')), 15_000);
    expect(fake.sent(7491)).toEqual([]);

    const tomorrow = new Date(Date.now() + 7 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Message in Bahasa Indonesia').fill(TEXT);
    await page.getByLabel('Start').fill(`${tomorrow}T08:00`);
    await page.getByRole('button', { name: 'Schedule the broadcast' }).click();
    await page.waitForURL(/\/staff\/broadcasts\/C/);
    const consoleCampaign = page.url().split('/').pop()!;
    await page.getByRole('button', { name: 'Cancel the broadcast' }).click();
    await expect.poll(() => page.locator('#campaign-state').textContent()).toBe('cancelled');

    // The JSON API: a token whose registered chat is 7492.
    const token = await new StaffTokens(cb.redis, cb.prefix).create('yusuf', 'campaign', 'telegram:7492');
    const api = (path: string, body: unknown) => fetch(`${cb.server.url}/staff/api${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const made = await api('/campaigns', { texts: { id: TEXT }, segment: {}, at: `${tomorrow}T01:00:00Z` });
    expect(made.status).toBe(201);
    const apiCampaign = ((await made.json()) as { id: string }).id;
    expect((await api(`/campaigns/${apiCampaign}/pause`, {})).status).toBe(200);
    expect((await api(`/campaigns/${apiCampaign}/cancel`, {})).status).toBe(200);
    expect((await api('/campaigns/test', { texts: { id: TEXT } })).status).toBe(200);

    const admin = await signedIn('zaki', 'admin', DESKTOP);
    await admin.goto('/staff/users/audit?lang=en');
    const rows = (await admin.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' '));
    const has = (by: string, what: string, more = '') => rows.some((r) => r.includes(by) && r.includes(what) && r.includes(more));
    expect(has('xena', 'test chat set', 'telegram')).toBe(true);
    expect(has('xena', 'campaign made and scheduled', consoleCampaign)).toBe(true);
    expect(has('xena', 'campaign cancelled', consoleCampaign)).toBe(true);
    expect(has('xena', 'campaign test sent', 'chat (hash)')).toBe(true);
    expect(has('yusuf', 'campaign made and scheduled', apiCampaign)).toBe(true);
    expect(has('yusuf', 'campaign paused', apiCampaign)).toBe(true);
    expect(has('yusuf', 'campaign cancelled', apiCampaign)).toBe(true);
    expect(has('yusuf', 'campaign test sent', 'chat (hash)')).toBe(true);
    // Never a message's text, never a chat's id.
    const all = rows.join('\n');
    for (const secret of ['hati-hati', '7490', '7492']) expect(all).not.toContain(secret);
    await admin.screenshot({ path: `${SHOTS}/audit-campaigns-en-desktop.png`, fullPage: true });
  });
});
