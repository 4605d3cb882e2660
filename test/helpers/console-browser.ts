// The staff web console in a real browser: one Waspada server process on real Redis (its own random
// prefix) and Debian's Chromium, headless, through playwright-core; accounts made as a person would
// (a one-time link, then a password), visitors each from their own address (TRUST_PROXY=loopback,
// so the sign-in limit per address never trips across tests). Screenshots go to test-artifacts/console/.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { ROOT } from './cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from './redis.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { SECRET, TOKEN } from './telegram.js';

export const SHOTS = resolve(ROOT, 'test-artifacts/console');
export const PASSWORD = 'a long enough pass phrase';

export interface ConsoleBrowser {
  server: ServerProcess;
  browser: Browser;
  redis: Redis;
  accounts: StaffAccounts;
  prefix: string;
  /** A fresh browser profile from an address of its own; 390 px wide unless told. */
  visitor(opts?: { lang?: string; width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in on the English sign-in page (the page it lands on is the caller's to wait for). */
  signIn(page: Page, name: string, password?: string): Promise<void>;
  /** An account with its password set through its one-time link. */
  person(name: string, role: 'agent' | 'campaign' | 'admin'): Promise<string>;
  /** A new person of `role`, signed in, on the console's home page (390 px wide unless told). */
  signedIn(name: string, role: 'agent' | 'campaign' | 'admin', size?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the server (env added to the defaults: a Telegram bot pointed at nothing) and the browser. */
export async function startConsoleBrowser(name: string, env: Record<string, string> = {}): Promise<ConsoleBrowser> {
  mkdirSync(SHOTS, { recursive: true });
  const prefix = testPrefix(name);
  const redis = plainRedis();
  const accounts = new StaffAccounts(redis, prefix);
  const [server, browser] = await Promise.all([
    startServerProcess({
      REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'console-hash-secret-0123', DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: 'http://127.0.0.1:9', TRUST_PROXY: 'loopback',
      ...env,
    }),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
  ]);
  let ip = 0;
  const cb: ConsoleBrowser = {
    server, browser, redis, accounts, prefix,
    async visitor(opts = {}) {
      const context = await browser.newContext({
        baseURL: server.url,
        extraHTTPHeaders: { 'X-Forwarded-For': `203.0.113.${++ip}` },
        viewport: { width: opts.width ?? 390, height: opts.height ?? 760 },
        ...(opts.lang ? { locale: opts.lang } : {}),
      });
      return { context, page: await context.newPage() };
    },
    async signIn(page, who, password = PASSWORD) {
      await page.goto('/staff/sign-in?lang=en');
      await page.getByLabel('Name').fill(who);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    async person(who, role) {
      const token = await accounts.add(who, role);
      await accounts.setPasswordWithLink(token, PASSWORD);
      return who;
    },
    async signedIn(who, role, size) {
      await cb.person(who, role);
      const { page } = await cb.visitor(size ?? {});
      await cb.signIn(page, who);
      await page.waitForURL('**/staff/');
      return page;
    },
    async close() {
      await browser.close();
      server.kill('SIGTERM');
      await server.exited;
      await dropPrefix(redis, prefix);
      redis.disconnect();
    },
  };
  return cb;
}
