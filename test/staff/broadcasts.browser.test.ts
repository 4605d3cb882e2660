// The console's broadcasts, dashboard and account pages in a real browser (test/helpers/console-browser.ts:
// one server process on real Redis under this file's own prefix, Debian's Chromium). Subscribers are
// made through the broadcast module and the dashboard's counters through src/staff/metrics.ts, in the
// server's prefix, so the pages show what the test put in. Screenshots go to test-artifacts/console/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSubscribers, type SubscriberInput } from '../../src/broadcast/subscribers.js';
import { Metrics } from '../../src/staff/metrics.js';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';
import { runStaff } from '../helpers/cli.js';
import { PASSWORD, SHOTS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/console-browser.js';
import { DATA_KEY, REDIS_URL } from '../helpers/redis.js';

const HASH_SECRET = 'pages-hash-secret-0123456';
let cb: ConsoleBrowser;

const subscriber = (user: string, lang: string, topics: SubscriberInput['topics']): SubscriberInput => ({ channel: 'telegram', user, lang, topics, region: 'NB', destination: 'MY', consentedAt: Date.now() - 86_400_000 });

beforeAll(async () => {
  cb = await startConsoleBrowser('pages', { HASH_SECRET });
  const keys = keyspace(cb.prefix);
  const subscribers = new RedisSubscribers(cb.redis, keys, DataCipher.fromConfig(DATA_KEY), HASH_SECRET);
  // Bahasa Indonesia: 3 for scam alerts (one of them also safe migration), 1 safe migration only; English: 2.
  for (const s of [
    subscriber('7001', 'id', ['scam-alerts']),
    subscriber('7002', 'id', ['scam-alerts', 'safe-migration']),
    subscriber('7003', 'id', ['scam-alerts']),
    subscriber('7004', 'id', ['safe-migration']),
    subscriber('7005', 'en', ['scam-alerts']),
    subscriber('7006', 'en', ['safe-migration']),
  ])
    await subscribers.add(s);
  // The dashboard's counters, as the conversation and the hotline record them.
  const metrics = new Metrics({ redis: cb.redis, keys, hashSecret: HASH_SECRET, flushMs: 60_000 });
  for (const u of ['a', 'b', 'c']) metrics.message('telegram', u);
  for (let i = 0; i < 3; i++) metrics.offer('high', ['tourist_visa', 'secrecy']);
  metrics.offer('medium', ['secrecy']);
  metrics.offer('low', []);
  metrics.reported(['abcdef0123456789abcdef0123456789']);
  metrics.reported(['abcdef0123456789abcdef0123456789']);
  metrics.caseOpened('missing', true);
  metrics.caseOpened('scam', false);
  metrics.caseReferred();
  metrics.caseClosed('helped');
  await metrics.close();
}, 60_000);

afterAll(async () => {
  await cb?.close();
}, 30_000);

/** Signed in as a new person of `role`, on a page `width` wide. */
async function as(name: string, role: 'agent' | 'campaign' | 'admin', width = 390) {
  await cb.person(name, role);
  const v = await cb.visitor({ width, height: 900 });
  await cb.signIn(v.page, name);
  await v.page.waitForURL('**/staff/');
  return v;
}

/** On the (English) composer, signed in as a new person of `role`; questions before sending are answered yes. */
async function composer(name: string, role: 'campaign' | 'admin') {
  const v = await as(name, role);
  v.page.on('dialog', (d) => void d.accept());
  await v.page.goto('/staff/broadcasts/new?lang=en');
  return v;
}

const campaignCount = () => cb.redis.zcard(keyspace(cb.prefix).broadcast.campaigns);

describe('broadcasts in the console', () => {
  it('campaign staff compose a message, see it in the phone preview and the segment size as they choose, and a dry run counts without sending', async () => {
    const { context, page } = await as('dewi', 'campaign', 1280);
    await page.goto('/staff/broadcasts/new?lang=en');
    expect(await page.locator('#segment-size').textContent()).toBe('6');
    await page.getByLabel('Message in Bahasa Indonesia').fill('Waspada: tawaran kerja ke Malaysia tanpa biaya resmi adalah penipuan.\nCek dulu di Waspada.');
    await expect.poll(() => page.locator('#preview_id').textContent()).toContain('tanpa biaya resmi adalah penipuan');
    await page.getByLabel('Message in English').fill('Beware: a job in Malaysia that asks for a fee first is a scam.');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('id');
    await expect.poll(() => page.locator('#segment-size').textContent()).toBe('4');
    await page.getByLabel('job-scam alerts').check();
    await expect.poll(() => page.locator('#segment-size').textContent()).toBe('3');
    expect(await page.locator('main').textContent()).toContain('Quiet hours: nobody gets a broadcast between 21:00 and 07:00');
    await page.screenshot({ path: `${SHOTS}/broadcast-en-desktop.png`, fullPage: true });
    await page.getByRole('button', { name: 'Dry run (count only)' }).click();
    expect(await page.locator('#dry-total').textContent()).toBe('3 subscribers would get it.');
    // What was typed is kept, and nothing was made.
    expect(await page.getByRole('combobox', { name: 'Language' }).inputValue()).toBe('id');
    expect(await campaignCount()).toBe(0);
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: `${SHOTS}/broadcast-en-390.png`, fullPage: true });
    await page.goto('/staff/broadcasts/new?lang=id');
    await page.getByLabel('Pesan dalam Bahasa Indonesia').fill('Waspada: tawaran kerja ke Malaysia yang meminta biaya di depan adalah penipuan.');
    await page.screenshot({ path: `${SHOTS}/broadcast-id-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${SHOTS}/broadcast-id-desktop.png`, fullPage: true });
    await context.close();
  });

  it('a test send goes to the chat saved on the person’s account, through the outbox, and makes no campaign; the longest texts allowed fit the form', async () => {
    const { context, page } = await composer('eka', 'campaign');
    // No test chat saved yet: the form says so and links to the account page instead of offering a test.
    expect(await page.locator('#test-to').textContent()).toContain('There is no test chat on your account yet.');
    expect(await page.getByRole('button', { name: 'Send me a test' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Set your test chat' }).click();
    await page.getByLabel('Your chat id').fill('5550001');
    await page.getByRole('button', { name: 'Save my test chat' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Test chat saved.');
    await page.goto('/staff/broadcasts/new?lang=en');
    expect(await page.locator('#test-to').textContent()).toContain('telegram · 5550001');
    await page.getByLabel('Message in English').fill('A test of the alert.');
    await page.getByRole('button', { name: 'Send me a test' }).click();
    expect(await page.getByRole('status').first().textContent()).toBe('Test handed to the outbox: English: queued.');
    expect(await campaignCount()).toBe(0);
    // The longest texts allowed, in both languages and outside ASCII, fit in the form's limit.
    await page.getByLabel('Message in Bahasa Indonesia').fill('é'.repeat(3500));
    await page.getByLabel('Message in English').fill('✓'.repeat(3500));
    await page.getByRole('button', { name: 'Dry run (count only)' }).click();
    expect(await page.locator('#dry-total').textContent()).toBe('6 subscribers would get it.');
    await context.close();
  });

  it('a scheduled urgent campaign shows its progress bar filling until done', async () => {
    const { context, page } = await composer('fitri', 'admin');
    await page.getByLabel('Message in English').fill('Beware of fees asked before you leave.');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('en');
    // Urgent: quiet hours do not hold it back, whatever the hour the test runs at.
    await page.getByLabel('Urgent: ignore quiet hours').check();
    await page.getByRole('button', { name: 'Schedule the broadcast' }).click();
    await page.waitForURL(/\/staff\/broadcasts\/C\d{6}-[0-9A-F]{6}$/);
    await expect.poll(() => page.locator('#campaign-state').textContent(), { timeout: 15_000 }).toBe('done');
    expect(await page.locator('#progress').getAttribute('max')).toBe('2');
    expect(await page.locator('#progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(2);
    expect(await page.locator('#progress-text').textContent()).toBe('2 of 2 handed to the outbox');
    expect(await page.locator('[data-count="targets"]').textContent()).toBe('2');
    await page.screenshot({ path: `${SHOTS}/campaign-en-390.png`, fullPage: true });
    await page.getByRole('link', { name: 'All broadcasts' }).click();
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('done') && r.includes('fitri'))).toBe(true);
    await context.close();
  });

  it('a campaign for tomorrow can be paused, resumed and cancelled from its page', async () => {
    const { context, page } = await composer('gilang', 'campaign');
    await page.getByLabel('Message in Bahasa Indonesia').fill('Pesan untuk besok.');
    const tomorrow = new Date(Date.now() + 7 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Start').fill(`${tomorrow}T08:00`);
    await page.getByRole('button', { name: 'Schedule the broadcast' }).click();
    await page.waitForURL(/\/staff\/broadcasts\/C/);
    expect(await page.locator('main dl').textContent()).toContain(`${tomorrow} 08:00 WIB`);
    expect(await page.locator('#campaign-state').textContent()).toBe('scheduled');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('#campaign-state').textContent()).toBe('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('#campaign-state').textContent()).toBe('scheduled');
    await page.getByRole('button', { name: 'Cancel the broadcast' }).click();
    await expect.poll(() => page.locator('#campaign-state').textContent()).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await context.close();
  });

  it('a hotline agent is refused the broadcast pages and the segment count (403)', async () => {
    const { context, page } = await as('hadi', 'agent');
    expect((await page.goto('/staff/broadcasts?lang=en'))!.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('hotline agent');
    expect((await page.goto('/staff/broadcasts/new'))!.status()).toBe(403);
    expect((await page.goto('/staff/broadcasts/size?segment_lang=id'))!.status()).toBe(403);
    await context.close();
  });
});

describe('the dashboard in the console', () => {
  it('shows the counters the conversation and hotline recorded, for any role, in both languages', async () => {
    const { context, page } = await as('indah', 'agent', 1280);
    await page.goto('/staff/?lang=en');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const row = async (section: string, label: string) => {
      const r = page.getByRole('region', { name: section }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
      return (await r.locator('td.num').textContent())?.trim();
    };
    const expected: [string, string, string][] = [
      ['Job offers checked, by verdict', 'high risk', '3'],
      ['Job offers checked, by verdict', 'some warning signs', '1'],
      ['Job offers checked, by verdict', 'low risk', '1'],
      ['Warning signs found most often', 'Tourist visa for work', '3'],
      ['Warning signs found most often', 'Asked to keep it secret', '4'],
      ['Recruiter contacts reported most often', 'contact abcdef01…', '2'],
      ['Hotline cases', 'opened', '2'],
      ['Hotline cases', 'of them urgent', '1'],
      ['Hotline cases', 'referred', '1'],
      ['Hotline cases', 'closed', '1'],
      ['Subscribers now, by language', 'Bahasa Indonesia', '4'],
      ['Subscribers now, by language', 'English', '2'],
      ["People who wrote, per channel (each day's people added up)", 'telegram', '3'],
    ];
    for (const [section, label, n] of expected) expect(await row(section, label), `${section}: ${label}`).toBe(n);
    await page.screenshot({ path: `${SHOTS}/dashboard-en-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: `${SHOTS}/dashboard-en-390.png`, fullPage: true });
    await page.goto('/staff/dashboard?lang=id');
    expect(await row('Tawaran kerja yang diperiksa, menurut hasil', 'risiko tinggi')).toBe('3');
    await page.screenshot({ path: `${SHOTS}/dashboard-id-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${SHOTS}/dashboard-id-desktop.png`, fullPage: true });
    await context.close();
  });
});

describe('staff accounts in the console', () => {
  it('an admin creates an account whose one-time link signs the new person in; disabling it ends their session; the audit log shows both, and the CLI\'s changes too', async () => {
    const admin = await as('joko', 'admin', 1280);
    await admin.page.goto('/staff/users?lang=en');
    await admin.page.getByLabel('Name', { exact: true }).fill('kartika');
    await admin.page.getByLabel('Role').selectOption('campaign');
    await admin.page.getByRole('button', { name: 'Create the account' }).click();
    expect(await admin.page.getByRole('status').textContent()).toBe('Account kartika created.');
    const link = await admin.page.getByLabel('Sign-in link').inputValue();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/staff\/welcome\?token=[A-Za-z0-9_-]{43}$/);
    await admin.page.screenshot({ path: `${SHOTS}/account-link-en.png`, fullPage: true });

    const newcomer = await cb.visitor();
    await newcomer.page.goto(`${link}&lang=en`);
    await newcomer.page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await newcomer.page.getByLabel('New password again').fill(PASSWORD);
    await newcomer.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await newcomer.page.waitForURL('**/staff/');
    expect(await newcomer.page.locator('main').textContent()).toContain('Signed in as kartika, role: campaign staff.');

    await admin.page.goto('/staff/users');
    await admin.page.getByRole('button', { name: 'Disable: kartika' }).click();
    expect(await admin.page.getByRole('status').textContent()).toContain('kartika is disabled');
    expect((await newcomer.page.goto('/staff/broadcasts'))!.url()).toContain('/staff/sign-in?next=');

    const cli = await runStaff(['add-user', '--name', 'lestari', '--role', 'agent'], { REDIS_URL, REDIS_PREFIX: cb.prefix });
    expect(cli.code).toBe(0);

    await admin.page.goto('/staff/users');
    await admin.page.getByRole('link', { name: 'Audit log of accounts and campaigns' }).click();
    const rows = (await admin.page.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' '));
    const has = (by: string | RegExp, what: string, account: string) => rows.some((r) => (typeof by === 'string' ? r.includes(by) : by.test(r)) && r.includes(what) && r.includes(account));
    expect(has('joko', 'account created', 'kartika')).toBe(true);
    expect(has('kartika', 'password set', 'kartika')).toBe(true);
    expect(has('joko', 'account disabled', 'kartika')).toBe(true);
    expect(has(/cli:\S+/, 'account created', 'lestari')).toBe(true);
    // Newest first; never a token.
    expect(rows[0]).toContain('lestari');
    expect(rows.join('\n')).not.toMatch(/[A-Za-z0-9_-]{43}/);
    await admin.page.screenshot({ path: `${SHOTS}/audit-en-desktop.png`, fullPage: true });
    await Promise.all([admin.context.close(), newcomer.context.close()]);
  });
});
