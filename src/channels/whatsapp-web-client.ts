// WhatsApp through whatsapp-web.js, the client: the one interface the channel uses (so that tests drive
// it with a fake), the real client on Debian's Chromium (whatsapp-web.js is loaded only here, when the
// channel starts), the Redis store RemoteAuth keeps the link in, and the QR code for the terminal.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedisClient } from '../store/connection.js';
import type { Store } from 'whatsapp-web.js';
import type { Logger } from '../log.js';
import type { WwebMessage } from './whatsapp-web-message.js';

/** whatsapp-web.js's MessageMedia, as far as it is read here: a file as base64 with its type. */
export interface WwebMedia {
  mimetype: string;
  /** The file's bytes, base64. */
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

export interface WwebSendOptions {
  linkPreview?: boolean;
  /** A picture's or video's caption. */
  caption?: string;
}

/** What the channel uses of whatsapp-web.js's Client. */
export interface WwebClient {
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  once(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  removeAllListeners(event?: string): unknown;
  /** Launches Chromium, opens WhatsApp Web and restores the link (or asks for a QR scan). */
  initialize(): Promise<void>;
  /** Text, or a picture or video made by `media` (the library sends only its own MessageMedia as a file). */
  sendMessage(chatId: string, content: string | WwebMedia, options?: WwebSendOptions): Promise<unknown>;
  /** The library's MessageMedia for a file (whatsapp-web.js is loaded only with the client). */
  media(mimetype: string, base64: string, filename?: string): WwebMedia;
  /** A message found again by its serialized id (a picture to download), or null when WhatsApp Web no longer has it. */
  getMessageById(id: string): Promise<WwebMessage | null>;
  /** Closes the browser. After it, no Chromium process of this client is left. */
  destroy(): Promise<void>;
  getState(): Promise<string | null>;
  logout(): Promise<void>;
  /** The linked account, once ready. */
  info?: { wid?: { user?: string } } | null;
}

export interface WwebClientOptions {
  executablePath: string;
  /** Where LocalAuth keeps the browser profile (RemoteAuth its working copy) and the WhatsApp Web page cache. */
  dataDir: string;
  auth: 'local' | 'remote';
  /** RemoteAuth's store (auth `remote`). */
  store?: Store;
  log: Logger;
}

export type WwebClientFactory = (opts: WwebClientOptions) => WwebClient | Promise<WwebClient>;

/** RemoteAuth saves a copy of the link this often (its minimum is a minute). */
const BACKUP_EVERY_MS = 5 * 60_000;
/** How long closing the browser may take before its process is killed. */
const DESTROY_MS = 10_000;

/** A Chromium process of puppeteer's, as far as it is read here. */
interface BrowserLike {
  process?(): { pid?: number; exitCode: number | null; kill(signal?: NodeJS.Signals): boolean } | null;
}

/**
 * The real client: whatsapp-web.js (loaded now, not before) on the given Chromium, headless, with
 * LocalAuth in `dataDir` or RemoteAuth with `store`. Its destroy() also ends a browser that would not
 * close, or one still being launched when it was called.
 */
export const realClient: WwebClientFactory = async (o) => {
  const mod = await import('whatsapp-web.js');
  const { Client, LocalAuth, RemoteAuth, MessageMedia } = (mod.default ?? mod) as typeof import('whatsapp-web.js');
  const authStrategy =
    o.auth === 'remote'
      ? new RemoteAuth({ store: o.store!, dataPath: o.dataDir, backupSyncIntervalMs: BACKUP_EVERY_MS })
      : new LocalAuth({ dataPath: o.dataDir });
  const client = new Client({
    authStrategy,
    webVersionCache: { type: 'local', path: join(o.dataDir, 'web-cache') },
    puppeteer: { executablePath: o.executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] },
  });
  const browser = () => (client as unknown as { pupBrowser: BrowserLike | null }).pupBrowser;
  const kill = () => {
    const p = browser()?.process?.();
    if (p && p.exitCode === null) p.kill('SIGKILL');
  };
  let destroyed = false;
  let opening = false;
  const destroy = async () => {
    destroyed = true;
    // A browser still being launched is closed once it is there (or killed when initialize settles).
    const until = Date.now() + DESTROY_MS;
    while (opening && !browser() && Date.now() < until) await sleep(50);
    try {
      await Promise.race([client.destroy(), sleep(DESTROY_MS).then(() => Promise.reject(new Error('browser did not close')))]);
    } catch (e) {
      o.log.warn({ err: (e as Error).message }, 'whatsapp-web: closing the browser failed; killing it');
    } finally {
      kill();
    }
  };
  guardLibraryRejections(o.log);
  return {
    on: (event, listener) => client.on(event, listener),
    once: (event, listener) => client.once(event, listener),
    removeAllListeners: (event) => client.removeAllListeners(event),
    initialize() {
      opening = true;
      return client.initialize().finally(() => {
        opening = false;
        if (destroyed) kill();
      });
    },
    sendMessage: (chatId, content, options) => client.sendMessage(chatId, content as string | InstanceType<typeof MessageMedia>, options),
    media: (mimetype, base64, filename) => new MessageMedia(mimetype, base64, filename ?? null),
    getMessageById: async (id) => (await client.getMessageById(id)) as unknown as WwebMessage | null,
    destroy,
    getState: () => client.getState(),
    logout: () => client.logout(),
    get info() {
      return client.info;
    },
  };
};

let guarded = false;

/**
 * whatsapp-web.js handles some browser events in async callbacks nobody awaits (a navigation after a
 * logout re-injects its scripts into a page that may be closing): their failures would be unhandled
 * rejections, which end a Node process, the whole server with it. Those whose stack is the library's or
 * Puppeteer's are logged instead; any other is thrown, as Node does by default.
 */
export function guardLibraryRejections(log: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    const stack = reason instanceof Error ? (reason.stack ?? '') : '';
    if (!/[\\/]node_modules[\\/](?:whatsapp-web\.js|puppeteer-core|puppeteer)[\\/]/.test(stack)) throw reason;
    log.warn({ err: (reason as Error).message.slice(0, 300) }, 'whatsapp-web: the library failed in the background (ignored)');
  });
}

/**
 * RemoteAuth's store in Redis: the link (a zip of the browser profile's session folders) under one key
 * of the channel's, as bytes. RemoteAuth writes the zip to `<dataDir>/<session>.zip` before save() and
 * expects extract() to write it to the path it gives.
 */
export class RedisAuthStore implements Store {
  constructor(
    private readonly redis: RedisClient,
    /** The channel's key base (keys.channel('whatsapp-web')). */
    private readonly base: string,
    private readonly dataDir: string,
  ) {}

  private key(session: string): string {
    return `${this.base}auth:${session}`;
  }

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    return (await this.redis.exists(this.key(session))) === 1;
  }

  async save({ session }: { session: string }): Promise<void> {
    await this.redis.set(this.key(session), await readFile(join(this.dataDir, `${session}.zip`)));
  }

  async extract({ session, path }: { session: string; path: string }): Promise<void> {
    const zip = await this.redis.getBuffer(this.key(session));
    if (zip) await writeFile(path, zip);
  }

  async delete({ session }: { session: string }): Promise<void> {
    await this.redis.del(this.key(session));
  }
}

/** The QR code to scan, as text for a terminal (two rows of modules per line). */
export async function qrForTerminal(qr: string): Promise<string> {
  const mod = await import('qrcode-terminal');
  const qrcode = mod.default ?? mod;
  return new Promise((resolve) => qrcode.generate(qr, { small: true }, resolve));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
