// The console's hotline queue and case pages in a real browser, against a real server process whose
// Telegram is the local fake Bot API: a family reports a missing relative through the webhook, the case
// shows up in an agent's open queue page without a reload, the agent works it (claim, notes, stage,
// referral, closing) and the family's chat gets exactly what staff chose to share. Screenshots of the
// queue and the case page, in both languages, at 390 px and at a desktop width, go to test-artifacts/console/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { DataCipher } from '../../src/store/cipher.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { SHOTS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/console-browser.js';
import { DATA_KEY } from '../helpers/redis.js';
import { SECRET, TOKEN, textUpdate, unescape } from '../helpers/telegram.js';

const FAMILY = 7301;
const NAME = 'Rina Wulandari';
const STORY = 'Paspornya ditahan <b>majikan</b> & dia tidak bisa dihubungi.';
const DESKTOP = { width: 1280, height: 900 };

let fake: FakeTelegram;
let cb: ConsoleBrowser;
let caseId = '';

const familyTexts = (): string[] => fake.sent(FAMILY).map((m: { text?: string }) => unescape(m.text ?? ''));

/** The family writes one message over the webhook and waits for Waspada's first reply to it. */
async function familySays(text: string): Promise<void> {
  const before = fake.sent(FAMILY).length;
  const res = await fetch(`${cb.server.url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(textUpdate(FAMILY, text)),
  });
  expect(res.status).toBe(200);
  await fake.waitFor(() => fake.sent(FAMILY).length > before, 15_000);
}

/** The missing-relative report, walked in the chat as a family would; returns the case number it was given. */
async function reportMissingRelative(): Promise<string> {
  for (const text of ['/start', '1', 'menu', '4', NAME, '24', 'kakak', 'Kamboja', 'Sihanoukville', 'PT Cahaya Samudra Mandiri', '0812 9999 8888', '3 minggu lalu', STORY, 'ya', '+62 812-5550-1234', 'ya', '1']) {
    await familySays(text);
  }
  await fake.waitFor(() => familyTexts().some((t) => /Nomor kasus: WSP-/.test(t)), 15_000);
  return /Nomor kasus: (WSP-[A-Z0-9]{4}-[A-Z0-9]{2})/.exec(familyTexts().join('\n'))![1]!;
}

const signedIn = (name: string, role: 'agent' | 'campaign' | 'admin', size?: { width: number; height: number }) => cb.signedIn(name, role, size);

beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  cb = await startConsoleBrowser('queue', { TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_RATE_PER_CHAT: '1000', TELEGRAM_BURST_PER_CHAT: '20', TELEGRAM_RATE_GLOBAL: '100000' });
}, 60_000);

afterAll(async () => {
  await cb?.close();
  await fake?.close();
}, 30_000);

describe('hotline queue and cases in the staff console', () => {
  it('a case reported in the chat appears in an agent’s open queue page without reloading it, urgent and waiting cases first', async () => {
    const page = await signedIn('sari', 'agent');
    await page.goto('/staff/cases?lang=en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hotline queue');
    expect(await page.getByRole('status').textContent()).toBe('Listed: 0. Waiting: 0. Urgent: 0.');
    // A mark on the page: still there afterwards, so the page was not loaded again.
    await page.evaluate(() => ((globalThis as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));

    caseId = await reportMissingRelative();
    const row = page.locator('#queue-rows tr', { has: page.getByRole('link', { name: caseId }) });
    await row.waitFor({ timeout: 40_000 });
    expect(await page.getByRole('status').textContent()).toBe('Listed: 1. Waiting: 1. Urgent: 1.');
    // Opening the page was audited; its refreshes (at least the one that brought the case) were not.
    const audit = await new RedisCaseStore(cb.redis, cb.prefix, DataCipher.fromConfig(DATA_KEY)).auditOf(null);
    expect(audit.filter((e) => e.by === 'sari' && e.action === 'list')).toHaveLength(1);
    expect(await page.evaluate(() => (globalThis as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    const cells = await row.locator('th, td').allTextContents();
    expect(cells[0]).toBe(caseId);
    expect(cells.slice(2)).toEqual(['received', 'missing relative', expect.stringMatching(/ago|now/), 'nobody yet (waiting)']);
    // No personal field in the list.
    expect(await page.locator('main').textContent()).not.toContain(NAME);
    await page.screenshot({ path: `${SHOTS}/queue-en-390.png`, fullPage: true });
    // The stage filter is a labelled field, used from the keyboard.
    await page.getByLabel('Stage').selectOption('closed');
    await page.getByLabel('Stage').press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/staff/cases?stage=closed');
    expect(await page.locator('#queue-rows').textContent()).toContain('No cases here.');
    await page.context().close();

    const wide = await signedIn('tono', 'agent', DESKTOP);
    await wide.goto('/staff/cases?lang=id');
    expect(await wide.getByRole('heading', { level: 1 }).textContent()).toBe('Antrean hotline');
    await wide.getByRole('link', { name: caseId }).waitFor();
    await wide.screenshot({ path: `${SHOTS}/queue-id-desktop.png`, fullPage: true });
    await wide.setViewportSize({ width: 390, height: 760 });
    await wide.screenshot({ path: `${SHOTS}/queue-id-390.png`, fullPage: true });
    await wide.goto('/staff/cases?lang=en');
    await wide.setViewportSize(DESKTOP);
    await wide.screenshot({ path: `${SHOTS}/queue-en-desktop.png`, fullPage: true });
    await wide.context().close();
  }, 120_000);

  it('an agent reads the case decrypted and escaped, claims it, and a note shared with the family reaches their chat; an internal note does not', async () => {
    expect(caseId).not.toBe('');
    const page = await signedIn('wati', 'agent', DESKTOP);
    await page.goto('/staff/cases?lang=en');
    await page.getByRole('link', { name: caseId }).click();
    await page.waitForURL(`**/staff/cases/${caseId}`);
    const main = page.locator('main');
    expect(await main.textContent()).toContain(NAME);
    // What the family typed is shown as text, never as markup.
    expect(await main.textContent()).toContain(STORY);
    expect(await main.locator('b').count()).toBe(0);

    await page.getByRole('button', { name: 'Claim this case' }).click();
    expect(await page.getByRole('status').textContent()).toBe('You claimed the case.');
    expect(await main.textContent()).toContain('You hold this case.');

    const shared = 'Kami sudah menghubungi KBRI Phnom Penh.';
    await page.getByLabel('Note', { exact: true }).fill(shared);
    await page.getByLabel('Staff and the family (sent to their chat)').check();
    await page.getByRole('button', { name: 'Add note' }).click();
    expect(await page.getByRole('status').textContent()).toContain('on its way to the family');
    await fake.waitFor(() => familyTexts().some((t) => t.includes(shared)), 15_000);
    expect(familyTexts().find((t) => t.includes(shared))).toContain(caseId);

    const internal = 'Internal: the employer may be lying.';
    await page.getByLabel('Note', { exact: true }).fill(internal);
    await page.getByLabel('Staff only (internal)').check();
    await page.getByRole('button', { name: 'Add note' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Note added (internal).');
    expect(await page.locator('ol.notes li.internal').textContent()).toContain(internal);
    // The family's next message from staff (the stage) comes after the note in the chat's order: the note never went.
    const sentBefore = familyTexts().length;
    await page.getByLabel('New stage').selectOption('assistance');
    await page.getByRole('button', { name: 'Change stage' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Stage changed; the family is told.');
    await fake.waitFor(() => familyTexts().length > sentBefore, 15_000);
    expect(familyTexts().slice(sentBefore).join('\n')).toContain(caseId);
    expect(familyTexts().join('\n')).not.toContain(internal);

    await page.screenshot({ path: `${SHOTS}/case-en-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 760 });
    await page.screenshot({ path: `${SHOTS}/case-en-390.png`, fullPage: true });
    await page.goto(`/staff/cases/${caseId}?lang=id`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Kasus ${caseId}`);
    await page.screenshot({ path: `${SHOTS}/case-id-390.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: `${SHOTS}/case-id-desktop.png`, fullPage: true });
    await page.context().close();
  }, 60_000);

  it('another agent is told on the page who holds the case (409), and a POST without the CSRF token is refused (403)', async () => {
    const page = await signedIn('yanto', 'agent');
    await page.goto(`/staff/cases/${caseId}?lang=en`);
    const notes = await page.locator('ol.notes li').count();
    await page.getByRole('button', { name: 'Claim this case' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('wati holds this case: only they (or an admin) can change it.');
    const refused = await page.evaluate(async (id) => {
      const r = await fetch(`/staff/cases/${id}/notes`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'text=forged&family=1' });
      return r.status;
    }, caseId);
    expect(refused).toBe(403);
    await page.reload();
    expect(await page.locator('ol.notes li').count()).toBe(notes);
    expect(familyTexts().join('\n')).not.toContain('forged');
    await page.context().close();
  }, 60_000);

  it('an agent is refused the audit trail (403); an admin sees each view of the case audited, refers it and closes it', async () => {
    const agent = await signedIn('umar', 'agent');
    const refused = await agent.goto(`/staff/cases/${caseId}/audit?lang=en`);
    expect(refused!.status()).toBe(403);
    expect(await agent.getByRole('alert').textContent()).toContain('hotline agent');
    await agent.context().close();

    const admin = await signedIn('ani', 'admin', DESKTOP);
    await admin.goto(`/staff/cases/${caseId}?lang=en`);
    await admin.getByRole('link', { name: 'Audit trail' }).click();
    await admin.waitForURL(`**/staff/cases/${caseId}/audit`);
    const rows = await admin.locator('tbody tr').allTextContents();
    for (const who of ['wati', 'yanto', 'ani']) expect(rows.some((r) => r.includes(who) && r.includes('read'))).toBe(true);
    expect(rows.some((r) => r.includes('wati') && r.includes('note') && r.includes('family'))).toBe(true);
    expect(rows.some((r) => r.includes('family') && r.includes('open'))).toBe(true);

    await admin.getByRole('link', { name: 'Back to the case' }).click();
    await admin.getByLabel('Partner office').selectOption({ index: 1 });
    await admin.getByRole('button', { name: 'Refer', exact: true }).click();
    expect(await admin.getByRole('status').textContent()).toBe('Case referred; the family is told.');
    const before = familyTexts().length;
    await admin.getByLabel('Outcome').selectOption('found');
    await admin.getByRole('button', { name: 'Close case' }).click();
    expect(await admin.getByRole('status').textContent()).toBe('Case closed; the family is told.');
    expect(await admin.locator('main').textContent()).toContain('This case is closed');
    await fake.waitFor(() => familyTexts().length > before, 15_000);
    await admin.goto('/staff/cases?stage=closed');
    expect(await admin.getByRole('link', { name: caseId }).count()).toBe(1);
    await admin.context().close();
  }, 60_000);
});
