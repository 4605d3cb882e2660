import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsappWebChannel } from '../../src/channels/whatsapp-web.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/index.js';
import { startWaspada, type Running } from '../../src/runtime.js';
import { keyspace } from '../../src/store/keys.js';
import { FakeWhatsapp, waitUntil } from '../fakes/whatsapp-web-client.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';

const content = loadContent();
const t = (lang: 'id' | 'en', key: string) => content.texts.t(lang, key);

/** Short limits keep the tests fast; the rules are the same as the defaults'. */
const SECONDS_PER_CHAT = 0.3;
const PER_MINUTE = 600;

interface Harness {
  wa: FakeWhatsapp;
  prefix: string;
  app: Running;
  channel: WhatsappWebChannel;
  health(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function start(env: Record<string, string> = {}): Promise<Harness> {
  const wa = new FakeWhatsapp();
  const prefix = testPrefix('wweb');
  const config = loadConfig({
    REDIS_URL,
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'e2e-hash-secret-0123456789',
    DATA_ENCRYPTION_KEY: DATA_KEY,
    CHANNELS: 'whatsapp-web',
    WHATSAPP_WEB_ENABLED: 'true',
    WHATSAPP_WEB_SECONDS_PER_CHAT: String(SECONDS_PER_CHAT),
    WHATSAPP_WEB_RATE_PER_MINUTE: String(PER_MINUTE),
    WHATSAPP_WEB_JITTER_MS: '30',
    WHATSAPP_WEB_RECONNECT_SECONDS: '0.05',
    PORT: '0',
    ...env,
  });
  const app = await startWaspada({ ...config, whatsappWeb: { client: wa.factory, showQr: wa.showQr } }, { host: '127.0.0.1', content });
  const channel = app.channels.get('whatsapp-web') as WhatsappWebChannel;
  await waitUntil(() => channel.linkState === 'ready');
  return {
    wa,
    prefix,
    app,
    channel,
    async health() {
      const res = await fetch(`${app.url}/healthz`);
      return ((await res.json()) as { channels: Record<string, Record<string, unknown>> }).channels['whatsapp-web']!;
    },
    async close() {
      await app.close(2000);
      const r = plainRedis();
      await dropPrefix(r, prefix);
      r.disconnect();
    },
  };
}

/** A process of its own for one test (a link that ends up logged out, a Redis of its own). */
async function withHarness(env: Record<string, string>, fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await start(env);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

let n = 0;
const newChat = () => `62812${String(Date.now()).slice(-6)}${String(++n).padStart(3, '0')}@c.us`;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

describe('WhatsApp through a linked phone (fake whatsapp-web.js client)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('prints the QR code to link a phone, then reports the link ready at /healthz', async () => {
    await expect.poll(() => h.wa.qrs.length).toBeGreaterThanOrEqual(1);
    expect(h.wa.qrs[0]).toMatch(/▄|█|\u001b\[/);
    expect(await h.health()).toMatchObject({ state: 'ready', last_error: null, auth: 'local' });
  });

  it('a message is answered through the inbox, the engine and the outbox, with the choices as a numbered menu', async () => {
    const chat = newChat();
    h.wa.message(chat, 'halo');
    const [first] = await h.wa.until(chat, 1);
    expect(first).toContain(t('id', 'language.ask'));
    expect(first).toMatch(/\n\n1\. Bahasa Indonesia\n2\. English$/);
  });

  it('a typed number or label chooses from the numbered menu', async () => {
    const chat = newChat();
    h.wa.message(chat, 'halo');
    await h.wa.until(chat, 1);
    h.wa.message(chat, '2');
    expect((await h.wa.until(chat, 2))[1]).toContain(t('en', 'welcome.privacy'));
    h.wa.message(chat, '1');
    const texts = await h.wa.until(chat, 3);
    expect(texts[2]!.startsWith(t('en', 'main.title'))).toBe(true);
    expect(texts[2]).toMatch(/\n\n1\. .+\n2\. /);
  });

  it('a message shown twice is answered once', async () => {
    const chat = newChat();
    const msg = h.wa.message(chat, 'halo');
    h.wa.emit(msg);
    h.wa.emit({ ...msg });
    await h.wa.until(chat, 1);
    await settle(800);
    expect(h.wa.sent(chat)).toHaveLength(1);
  });

  it('groups, status updates, broadcast lists, its own messages and calls are not answered', async () => {
    const group = '120363012345678901@g.us';
    const member = newChat();
    h.wa.message(group, 'halo', { author: member } as never);
    h.wa.message('status@broadcast', 'halo', { isStatus: true });
    h.wa.message(member, 'halo', { broadcast: true });
    h.wa.message(member, 'halo', { fromMe: true });
    h.wa.message(member, '', { type: 'e2e_notification' });
    h.wa.current.emit('call', { id: 'call-1', from: member, isVideo: false, reject: async () => undefined });
    // A message after them is answered: they were passed over, not stuck in front of it.
    const other = newChat();
    h.wa.message(other, 'halo');
    await h.wa.until(other, 1);
    await settle();
    expect(h.wa.sends.filter((s) => s.chat === group || s.chat === 'status@broadcast' || s.chat === member)).toEqual([]);
  });

  it('a picture whose file the phone no longer has gets "reading…", then "could not fetch it"', async () => {
    const chat = newChat();
    h.wa.message(chat, 'halo');
    await h.wa.until(chat, 1);
    // Emitted as a bare message: the fake phone has no file for it (whatsapp-web-picture.test.ts sends real ones).
    h.wa.message(chat, '', { type: 'image', hasMedia: true });
    const texts = await h.wa.until(chat, 3);
    expect(texts[1]).toBe(t('id', 'conversation.picture_reading'));
    expect(texts[2]).toContain(t('id', 'engine.picture.unavailable'));
  });

  it('never messages first a chat that did not write: the outbox gets "never wrote" and nothing is sent', async () => {
    const stranger = newChat();
    const before = (await h.app.outbox.counts())['whatsapp-web']!.failed;
    await h.app.outbox.deliver({ channel: 'whatsapp-web', user: stranger }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }]);
    await expect.poll(async () => (await h.app.outbox.counts())['whatsapp-web']!.failed).toBe(before + 1);
    expect(h.wa.sent(stranger)).toEqual([]);
    expect(await h.channel.send(stranger, JSON.stringify({ text: 'hi' }))).toMatchObject({ ok: false, kind: 'permanent', reason: expect.stringContaining('never wrote') });
    // Allowed (an opt-in, issue 20): then it may be written to.
    await h.channel.allow(stranger);
    expect(await h.channel.send(stranger, JSON.stringify({ text: 'hi' }))).toEqual({ ok: true });
  });

  it('sends slowly: never two messages to one chat within the per-chat gap, nor two at all within the overall one', async () => {
    const chats = [newChat(), newChat(), newChat()];
    for (const c of chats) await h.channel.allow(c);
    const from = h.wa.sends.length;
    const say = (i: number) => ({ lang: 'id' as const, reply: { say: [{ key: i % 2 ? 'main.title' : 'guide.menu.prompt' }] } });
    await Promise.all(chats.map((c) => h.app.outbox.deliver({ channel: 'whatsapp-web', user: c }, [say(0), say(1), say(2)])));
    await expect.poll(() => h.wa.sends.length - from, { timeout: 10_000 }).toBe(9);
    const sends = h.wa.sends.slice(from);
    for (const c of chats) {
      const at = sends.filter((s) => s.chat === c).map((s) => s.at);
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(SECONDS_PER_CHAT * 1000);
    }
    for (let i = 1; i < sends.length; i++) expect(sends[i]!.at - sends[i - 1]!.at).toBeGreaterThanOrEqual(60_000 / PER_MINUTE);
    expect(h.channel.limits).toEqual({ perSecond: PER_MINUTE / 60, perChatPerSecond: 1 / SECONDS_PER_CHAT, perChatBurst: 1 });
  });

  it('a number that is not on WhatsApp is marked gone', async () => {
    const chat = newChat();
    await h.channel.allow(chat);
    h.wa.refuse.set(chat, 'Evaluation failed: Error: wid error: invalid wid');
    await h.app.outbox.deliver({ channel: 'whatsapp-web', user: chat }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }]);
    const r = plainRedis();
    await expect.poll(() => r.zscore(keyspace(h.prefix).outbox('whatsapp-web').gone, chat)).not.toBeNull();
    r.disconnect();
  });

  it('after a disconnect it builds a new client, and messages flow again through it', async () => {
    const old = h.wa.current;
    old.emit('disconnected', 'NAVIGATION');
    expect(h.channel.linkState).toBe('disconnected');
    expect(h.channel.health()).toMatchObject({ state: 'disconnected', last_error: 'disconnected: NAVIGATION' });
    await expect.poll(() => h.channel.linkState).toBe('ready');
    expect(old.destroyed).toBe(true);
    expect(h.wa.current).not.toBe(old);
    // Events of the old client no longer count.
    old.emit('disconnected', 'NAVIGATION');
    expect(h.channel.linkState).toBe('ready');
    const chat = newChat();
    h.wa.message(chat, 'halo');
    await h.wa.until(chat, 1);
    expect(h.wa.sends.find((s) => s.chat === chat)!.client).toBe(h.wa.current.index);
  });

  it('an authentication failure reconnects; three in a row mean the link is lost (logged_out, no loop)', async () => {
    h.wa.current.emit('auth_failure', 'restore failed');
    expect(h.channel.health()).toMatchObject({ state: 'disconnected', last_error: expect.stringContaining('authentication failed') });
    await expect.poll(() => h.channel.linkState).toBe('ready');
    // From now on every client fails to authenticate.
    h.wa.opening = 'auth_failure';
    const built = h.wa.clients.length;
    h.wa.current.emit('auth_failure', 'restore failed');
    await expect.poll(() => h.channel.linkState).toBe('logged_out');
    expect(h.wa.clients.length).toBe(built + 2);
    expect(await h.health()).toMatchObject({ state: 'logged_out', last_error: expect.stringContaining('3 times in a row') });
    await settle(500);
    expect(h.wa.clients.length).toBe(built + 2);
  });
});

describe('WhatsApp ends the link', () => {
  it('LOGOUT: the state is logged_out at /healthz, nothing more is sent (the message waits), no reconnecting', () =>
    withHarness({}, async (h) => {
      const chat = newChat();
      h.wa.message(chat, 'halo');
      await h.wa.until(chat, 1);
      const client = h.wa.current;
      client.emit('disconnected', 'LOGOUT');
      expect(await h.health()).toMatchObject({ state: 'logged_out', last_error: 'disconnected: LOGOUT' });
      expect(client.destroyed).toBe(true);
      await h.app.outbox.deliver({ channel: 'whatsapp-web', user: chat }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }]);
      await expect.poll(async () => (await h.app.outbox.counts())['whatsapp-web']!.rate_limited).toBeGreaterThanOrEqual(1);
      await settle(500);
      expect(h.wa.sent(chat)).toHaveLength(1);
      expect((await h.app.outbox.counts())['whatsapp-web']!.pending).toBe(1);
      expect(h.wa.clients).toHaveLength(1);
      expect(await h.channel.notify(chat, 'hello')).toBe(false);
    }));

  it('change_state CONFLICT (the number opened in another WhatsApp Web): logged_out, and no new client', () =>
    withHarness({}, async (h) => {
      h.wa.current.emit('change_state', 'CONFLICT');
      h.wa.current.emit('disconnected', 'CONFLICT');
      expect(h.channel.health()).toMatchObject({ state: 'logged_out', last_error: 'WhatsApp Web state CONFLICT' });
      await settle(300);
      expect(h.wa.clients).toHaveLength(1);
    }));
});

describe('WhatsApp through a linked phone when Redis goes away', () => {
  it('a message that arrives while Redis is down is kept trying and answered once Redis is back (whatsapp-web.js never delivers it again)', async () => {
    const { PrivateRedis } = await import('../helpers/redis-server.js');
    const server = await PrivateRedis.start();
    await withHarness({ REDIS_URL: server.url }, async (h) => {
      const chat = newChat();
      await server.kill();
      h.wa.message(chat, 'halo');
      await settle(1500);
      expect(h.wa.sent(chat)).toEqual([]);
      await server.start();
      const texts = await h.wa.until(chat, 1, 15_000);
      expect(texts[0]).toContain(t('id', 'language.ask'));
      await settle(500);
      expect(h.wa.sent(chat)).toHaveLength(1);
    }).finally(() => server.stop());
  }, 30_000);
});
