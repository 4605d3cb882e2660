// The staff web console in a real browser (Debian's Chromium, headless, through playwright-core),
// against a real server process on real Redis: sign-in links, sign-in, lock-out, CSRF, roles.
// Screenshots go to test-artifacts/console/ (not committed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConsoleTexts } from '../../src/staff/web/texts.js';
import { PASSWORD, SHOTS, startConsoleBrowser, type ConsoleBrowser } from '../helpers/console-browser.js';

let cb: ConsoleBrowser;
const visitor = () => cb.visitor();
const signIn: ConsoleBrowser['signIn'] = (...args) => cb.signIn(...args);
const person: ConsoleBrowser['person'] = (...args) => cb.person(...args);

beforeAll(async () => {
  cb = await startConsoleBrowser('console');
}, 60_000);

afterAll(async () => {
  await cb?.close();
}, 30_000);

describe('staff console in a browser', () => {
  it('/staff/ without a session goes to the sign-in page (Bahasa Indonesia first), with the security headers', async () => {
    const { context, page } = await visitor();
    const res = await page.goto('/staff/');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/staff/sign-in?next=%2Fstaff%2F');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Masuk');
    const h = res!.headers();
    expect(h['content-security-policy']).toContain("script-src 'self'");
    expect(h['content-security-policy']).not.toContain('unsafe-inline');
    expect(h['cache-control']).toBe('no-store');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['referrer-policy']).toBe('no-referrer');
    await page.screenshot({ path: `${SHOTS}/sign-in-id.png`, fullPage: true });
    await context.close();
  });

  it('a new admin follows the one-time link, sets a password, sees the home page, signs out and in again', async () => {
    const token = await cb.accounts.add('ani', 'admin');
    const { context, page } = await visitor();
    await page.goto(`/staff/welcome?token=${token}&lang=en`);
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('New password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL('**/staff/');
    expect(await page.locator('main').textContent()).toContain('Signed in as ani, role: admin.');
    expect(await page.getByRole('link', { name: 'Hotline queue' }).getAttribute('href')).toBe('/staff/cases');
    const cookie = (await context.cookies()).find((c) => c.name === 'wsp_staff')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.screenshot({ path: `${SHOTS}/home-en.png`, fullPage: true });
    // The link works once.
    const reused = await page.goto(`/staff/welcome?token=${token}`);
    expect(reused!.status()).toBe(410);
    expect(await page.getByRole('alert').textContent()).toContain('not valid');
    await page.goto('/staff/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/staff/sign-in?out=1');
    expect((await page.goto('/staff/'))!.url()).toContain('/staff/sign-in?next=');
    await signIn(page, 'ani', PASSWORD);
    await page.waitForURL('**/staff/');
    // The session id changed at sign-in.
    expect((await context.cookies()).find((c) => c.name === 'wsp_staff')!.value).not.toBe(cookie.value);
    await context.close();
  });

  it('refuses a wrong password, then locks the name after 5 failures (the right password too), as for a name that does not exist', async () => {
    await person('bayu', 'agent');
    const { context, page } = await visitor();
    await signIn(page, 'bayu', 'not the password at all');
    expect(await page.getByRole('alert').textContent()).toBe('The name or the password is not right.');
    for (let i = 0; i < 4; i++) await signIn(page, 'bayu', 'not the password at all');
    expect(await page.getByRole('alert').textContent()).toContain('locked for 15 minutes');
    await signIn(page, 'bayu', PASSWORD);
    expect(await page.getByRole('alert').textContent()).toContain('locked for 15 minutes');
    await page.screenshot({ path: `${SHOTS}/locked-en.png`, fullPage: true });
    const other = await visitor();
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      await signIn(other.page, 'nobody', 'not the password at all');
      answers.push((await other.page.getByRole('alert').textContent())!);
    }
    expect(answers[0]).toBe('The name or the password is not right.');
    expect(answers[4]).toContain('locked for 15 minutes');
    await Promise.all([context.close(), other.context.close()]);
    // Twelve sign-ins, each a password hash, in a browser: under the whole suite on 2 cores, over 20 s.
  }, 60_000);

  it('refuses a POST without its CSRF token (403) and takes one with it', async () => {
    await person('candra', 'agent');
    const { context, page } = await visitor();
    await signIn(page, 'candra', PASSWORD);
    await page.waitForURL('**/staff/');
    const without = await page.evaluate(async () => {
      const r = await fetch('/staff/sign-out', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
      return { status: r.status, text: await r.text() };
    });
    expect(without.status).toBe(403);
    expect(without.text).toContain('role="alert"');
    // Still signed in; the token the page carries works (as a header, for fetch).
    expect((await page.goto('/staff/'))!.status()).toBe(200);
    const withToken = await page.evaluate(async () => (await (globalThis as unknown as { waspadaPost(u: string): Promise<Response> }).waspadaPost('/staff/sign-out')).url);
    expect(withToken).toContain('/staff/sign-in?out=1');
    await context.close();
  });

  it('campaign staff are refused the admin-only account list (403); an admin sees it', async () => {
    await person('dian', 'campaign');
    const { context, page } = await visitor();
    await signIn(page, 'dian', PASSWORD);
    await page.waitForURL('**/staff/');
    const refused = await page.goto('/staff/users');
    expect(refused!.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('campaign staff');
    await page.screenshot({ path: `${SHOTS}/forbidden-en.png`, fullPage: true });
    const admin = await visitor();
    await person('eko', 'admin');
    await signIn(admin.page, 'eko', PASSWORD);
    await admin.page.waitForURL('**/staff/');
    await admin.page.getByRole('link', { name: 'Staff accounts' }).click();
    const rows = await admin.page.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('dian') && r.includes('campaign staff') && r.includes('active'))).toBe(true);
    await admin.page.screenshot({ path: `${SHOTS}/users-en.png`, fullPage: true });
    await Promise.all([context.close(), admin.context.close()]);
  });

  it('limits sign-in attempts from one address (429 with Retry-After)', async () => {
    const { context, page } = await visitor();
    await page.goto('/staff/sign-in');
    const statuses = await page.evaluate(async () => {
      // (This runs in the page; the test's TypeScript has no DOM types.)
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { content: string } } }).document;
      const csrf = doc.querySelector('meta[name="csrf-token"]').content;
      const out: { status: number; retry: string | null }[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await fetch('/staff/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, name: `rate${i}`, password: 'whatever it is now' }) });
        out.push({ status: r.status, retry: r.headers.get('retry-after') });
      }
      return out;
    });
    expect(statuses.slice(0, 10).map((s) => s.status)).toEqual(Array(10).fill(401));
    expect(statuses[10]!.status).toBe(429);
    expect(Number(statuses[10]!.retry)).toBeGreaterThan(0);
    await context.close();
  });

  it('behind an HTTPS proxy (X-Forwarded-Proto: https, trusted) the cookie is __Host-wsp_staff, Secure', async () => {
    const res = await fetch(`${cb.server.url}/staff/sign-in`, { headers: { 'X-Forwarded-Proto': 'https' } });
    const cookie = res.headers.getSetCookie().find((c) => c.includes('wsp_staff'))!;
    expect(cookie).toMatch(/^__Host-wsp_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('has every console text in both languages', () => {
    const texts = loadConsoleTexts();
    expect([...texts.en.keys()].sort()).toEqual([...texts.id.keys()].sort());
  });

  it('the staff API still answers 401 without a token', async () => {
    const res = await fetch(`${cb.server.url}/staff/api/cases`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('bearer token') });
  });
});
