// WhatsApp through a linked phone (whatsapp-web.js driving WhatsApp Web in Debian's Chromium): for small
// deployments without Meta's approval. The client is built when the channel starts (never when it is
// only created, as the staff CLI does to queue messages), prints a QR code to link a phone, reconnects
// after a disconnect, and stops for good when WhatsApp logs the number out or blocks it. Messages go to
// the durable inbox; replies come from the outbox, slowly and only to people who wrote first: an
// unofficial client that sends fast, or to strangers, gets its number banned. Campaign pictures and
// videos go as the library's MessageMedia with the text as caption. A picture a person sends is not
// stored: the inbox keeps its message's id, and the process holding the linked phone downloads it from
// WhatsApp when the message is handled.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { Outbound } from '../content/render.js';
import type { MediaRef } from '../engine/types.js';
import { NotMine, type Delivery, type Inbox } from '../conversation/inbox.js';
import { PictureProblem } from '../conversation/picture.js';
import type { Inbound } from '../conversation/service.js';
import { silentLogger, type Logger } from '../log.js';
import type { RedisClient } from '../store/connection.js';
import { MEDIA_TTL_S, MediaStore } from '../store/media.js';
import { withTimeout } from '../timeout.js';
import { overLimit, pictureSource } from './picture-source.js';
import type { Channel, ChannelDeps, ChannelLimits, ChannelModule, PhoneLink, Routes, SendHooks, SendResult } from './port.js';
import { qrForTerminal, realClient, RedisAuthStore, sleep, type WwebClient, type WwebClientFactory } from './whatsapp-web-client.js';
import {
  classifySendError, messageId, messageToBody, renderWweb, WHATSAPP_WEB, wwebMediaProblem,
  type WwebBody, type WwebMessage, type WwebOut, type WwebPicture,
} from './whatsapp-web-message.js';

export { WHATSAPP_WEB };

/**
 * The link's state, in /healthz: `stopped` (not started), `starting` (Chromium and WhatsApp Web are
 * opening), `qr_needed` (scan the QR code), `linking` (scanned, loading chats), `ready`, `disconnected`
 * (reconnecting), `error` (WhatsApp Web could not be opened; trying again), `logged_out` (WhatsApp
 * unlinked or blocked the number: nothing is sent until it is linked again).
 */
export type LinkState = 'stopped' | 'starting' | 'qr_needed' | 'linking' | 'ready' | 'disconnected' | 'error' | 'logged_out';

export interface WhatsappWebSettings {
  WHATSAPP_WEB_ENABLED?: true;
  PUPPETEER_EXECUTABLE_PATH: string;
  WHATSAPP_WEB_AUTH: 'local' | 'remote';
  WHATSAPP_WEB_DATA_DIR: string;
  WHATSAPP_WEB_RATE_PER_MINUTE: number;
  WHATSAPP_WEB_SECONDS_PER_CHAT: number;
  WHATSAPP_WEB_JITTER_MS: number;
  WHATSAPP_WEB_RECONNECT_SECONDS: number;
  HASH_SECRET?: string;
  /** Not from the environment: tests put a fake client (and a place for the QR code) into the settings object. */
  whatsappWeb?: { client?: WwebClientFactory; showQr?: (text: string) => void };
}

const YES = ['true', '1', 'yes'];
const SETTINGS = {
  /** Serve WhatsApp through a linked phone. */
  WHATSAPP_WEB_ENABLED: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { errorMap: () => ({ message: 'WHATSAPP_WEB_ENABLED must be true or false' }) })
    .transform((v) => (YES.includes(v) ? (true as const) : undefined))
    .optional(),
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
  WHATSAPP_WEB_AUTH: z.enum(['local', 'remote'], { errorMap: () => ({ message: 'WHATSAPP_WEB_AUTH must be local (a data folder) or remote (Redis)' }) }).default('local'),
  WHATSAPP_WEB_DATA_DIR: z.string().min(1).default('./data/whatsapp-web'),
  /** Conservative by default: a linked phone that sends like a bulk sender is banned. */
  WHATSAPP_WEB_RATE_PER_MINUTE: z.coerce.number().positive().max(600).default(12),
  WHATSAPP_WEB_SECONDS_PER_CHAT: z.coerce.number().positive().max(3600).default(3),
  WHATSAPP_WEB_JITTER_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
  /** First wait before reconnecting after a disconnect; it doubles on each failure, up to 5 minutes. */
  WHATSAPP_WEB_RECONNECT_SECONDS: z.coerce.number().positive().max(3600).default(5),
};

/** States after which WhatsApp will not take this link back: another WhatsApp Web took over, the phone unlinked it, or WhatsApp blocked the number. */
const UNLINKED = new Set(['LOGOUT', 'CONFLICT', 'UNPAIRED', 'UNPAIRED_IDLE', 'TOS_BLOCK', 'SMB_TOS_BLOCK']);
/** Authentication failures in a row after which the link is taken as lost. */
const MAX_AUTH_FAILURES = 3;
const MAX_RECONNECT_MS = 5 * 60_000;
/** Opening WhatsApp Web that has not shown a QR code or the chats by then is given up and tried again. */
const START_TIMEOUT_MS = 120_000;
/** How long the outbox waits before trying again while the link is not ready. */
const NOT_READY_RETRY_MS = 30_000;
/** A send that has not finished by then is given up (and tried again): the page is stuck. */
const SEND_TIMEOUT_MS = 2 * 60_000;
const WA_WEB_TIMEOUT = `no answer from WhatsApp Web within ${SEND_TIMEOUT_MS / 1000} s`;
const PRIVATE_CHAT = /^[0-9]{5,24}@(?:c\.us|lid)$/;
/** A file's name as WhatsApp shows it (a document would; a picture or video hardly). */
const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'video/mp4': 'mp4', 'video/3gpp': '3gp', 'video/3gp': '3gp' };
/** How many chats known to have written are remembered in memory. */
const KNOWN_KEPT = 10_000;
/** How long fetching a picture waits for a link that is coming up by itself (starting, reconnecting). */
const LINK_WAIT_MS = 60_000;
/** States the link leaves by itself; from the others (a QR code to scan, logged out, stopped) only a person brings it back. */
const COMING_UP = new Set<LinkState>(['starting', 'linking', 'disconnected', 'error']);

/**
 * Spaces this process's sends: each waits a random 0..jitter ms, and never goes out sooner than
 * `chatMs` after the last one to its chat or `globalMs` after the last one at all. (The outbox spaces
 * the messages it hands over by the same limits; the jitter, added after, would otherwise bring two
 * closer than that.) One linked phone is one process, so this is the whole picture.
 */
class Pacer {
  private last = -Infinity;
  private readonly chats = new Map<string, number>();
  constructor(
    private readonly globalMs: number,
    private readonly chatMs: number,
    private readonly jitterMs: number,
  ) {}

  /**
   * Waits for the chat's turn, and takes it (another send waiting sees it at once). A millisecond is
   * added to the gaps: the send itself may come a millisecond later by the clock.
   */
  async wait(chat: string): Promise<void> {
    const jittered = Date.now() + Math.random() * this.jitterMs;
    for (;;) {
      const now = Date.now();
      const at = Math.max(jittered, this.last + this.globalMs + 1, (this.chats.get(chat) ?? -Infinity) + this.chatMs + 1);
      if (now >= at) {
        this.last = now;
        this.chats.set(chat, now);
        if (this.chats.size > 1000) for (const [c, t] of this.chats) if (t + this.chatMs < now) this.chats.delete(c);
        return;
      }
      await sleep(at - now);
    }
  }

  /** The message is being handed over now (it may be a little after its turn was taken): the gaps count from here. */
  sent(chat: string): void {
    const now = Date.now();
    this.last = Math.max(this.last, now);
    this.chats.set(chat, Math.max(this.chats.get(chat) ?? now, now));
  }
}

export class WhatsappWebChannel implements Channel {
  readonly name = WHATSAPP_WEB;
  /** The linked phone's client lives in the process that started the channel: only it sends. */
  readonly sendsOnlyWhenStarted = true;
  readonly limits: ChannelLimits;
  private readonly s: WhatsappWebSettings;
  private readonly log: Logger;
  private readonly inbox: Inbox;
  private readonly redis: RedisClient;
  /** The channel's key base: `<base>wrote` (who wrote), `<base>auth:<session>` (RemoteAuth's link). */
  private readonly base: string;
  private readonly secret: string;
  private readonly factory: WwebClientFactory;
  private readonly showQr: (text: string) => void;
  private readonly pacer: Pacer;
  /** Campaign pictures and videos (their bytes, kept in Redis by the web process). */
  private readonly files: MediaStore;
  /** Keyed references of chats known to have written (or opted in). Bounded. */
  private readonly known = new Set<string>();
  private client: WwebClient | null = null;
  /** Each client built gets a number; events of a client that was replaced are ignored. */
  private generation = 0;
  private running = false;
  private state: LinkState = 'stopped';
  private since = new Date().toISOString();
  private lastError: string | null = null;
  /** The latest QR code's text WhatsApp Web showed (it changes every 20 s or so until scanned). */
  private lastQr: string | null = null;
  private authFailures = 0;
  private reconnects = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  /** Waiting for the link to be ready (pictures to download): called on every change of state. */
  private readonly stateWaiters = new Set<() => void>();

  constructor(deps: ChannelDeps<WhatsappWebSettings>) {
    this.s = deps.settings;
    this.log = deps.log ?? silentLogger;
    this.inbox = deps.inbox;
    this.redis = deps.redis;
    this.base = deps.keys.channel(WHATSAPP_WEB);
    // Without a shared secret (tests, a demo), the record of who wrote holds for this process only.
    this.secret = this.s.HASH_SECRET ?? randomBytes(32).toString('base64');
    this.factory = this.s.whatsappWeb?.client ?? realClient;
    this.showQr = this.s.whatsappWeb?.showQr ?? ((text) => process.stderr.write(`${text}\n`));
    const perSecond = this.s.WHATSAPP_WEB_RATE_PER_MINUTE / 60;
    this.limits = { perSecond, perChatPerSecond: 1 / this.s.WHATSAPP_WEB_SECONDS_PER_CHAT, perChatBurst: 1 };
    this.pacer = new Pacer(1000 / perSecond, this.s.WHATSAPP_WEB_SECONDS_PER_CHAT * 1000, this.s.WHATSAPP_WEB_JITTER_MS);
    this.files = new MediaStore(deps.redis, deps.keys);
  }

  /** No webhooks: messages come from the client's events. */
  routes(): Routes {
    return {};
  }

  health(): Record<string, unknown> {
    return { state: this.state, since: this.since, last_error: this.lastError, auth: this.s.WHATSAPP_WEB_AUTH };
  }

  /** The link's state now (tests, health). */
  get linkState(): LinkState {
    return this.state;
  }

  /** The link's state, and the text of the QR code to scan while one is needed (the staff console draws it for admins). */
  phoneLink(): PhoneLink {
    return { state: this.state, qr: this.state === 'qr_needed' ? this.lastQr : null };
  }

  private setState(state: LinkState, error?: string): void {
    if (error !== undefined) this.lastError = error;
    if (state === this.state) return;
    this.state = state;
    this.since = new Date().toISOString();
    for (const w of [...this.stateWaiters]) w();
  }

  // ---- the link -------------------------------------------------------------------------------

  /** Builds the client and opens WhatsApp Web in the background: the server does not wait for Chromium. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  /** Closes the client (and its Chromium). Messages still queued stay in the outbox. */
  async stop(): Promise<void> {
    this.running = false;
    this.generation++;
    this.clearTimers();
    this.setState('stopped');
    await this.drop();
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.startTimer) clearTimeout(this.startTimer);
    this.reconnectTimer = this.startTimer = null;
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.setState('starting');
    let client: WwebClient;
    try {
      client = await this.factory({
        executablePath: this.s.PUPPETEER_EXECUTABLE_PATH,
        dataDir: this.s.WHATSAPP_WEB_DATA_DIR,
        auth: this.s.WHATSAPP_WEB_AUTH,
        store: this.s.WHATSAPP_WEB_AUTH === 'remote' ? new RedisAuthStore(this.redis, this.base, this.s.WHATSAPP_WEB_DATA_DIR) : undefined,
        log: this.log,
      });
    } catch (e) {
      return this.failed(gen, e);
    }
    if (gen !== this.generation) {
      await client.destroy().catch(() => undefined);
      return;
    }
    this.client = client;
    this.listen(client, gen);
    this.startTimer = setTimeout(() => this.failed(gen, new Error(`WhatsApp Web showed neither a QR code nor the chats within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    this.startTimer.unref();
    try {
      await client.initialize();
    } catch (e) {
      this.failed(gen, e);
    }
  }

  private listen(client: WwebClient, gen: number): void {
    const current = () => gen === this.generation;
    const opened = () => {
      if (this.startTimer) clearTimeout(this.startTimer);
      this.startTimer = null;
    };
    client.on('qr', (qr: string) => {
      if (!current()) return;
      opened();
      this.lastQr = String(qr);
      this.setState('qr_needed');
      this.log.info({ channel: WHATSAPP_WEB }, 'whatsapp-web: link a phone: scan the QR code printed on standard error (WhatsApp > Linked devices > Link a device)');
      qrForTerminal(String(qr))
        .then((text) => this.showQr(text))
        .catch((e: Error) => this.log.error({ err: e.message }, 'whatsapp-web: could not draw the QR code'));
    });
    client.on('authenticated', () => {
      if (!current()) return;
      opened();
      this.setState('linking');
    });
    client.on('loading_screen', () => {
      if (!current() || this.state === 'ready') return;
      opened();
      this.setState('linking');
    });
    client.on('ready', () => {
      if (!current()) return;
      opened();
      this.authFailures = 0;
      this.reconnects = 0;
      this.lastError = null;
      this.setState('ready');
      this.log.info({ channel: WHATSAPP_WEB }, 'whatsapp-web: linked and ready');
    });
    client.on('auth_failure', (message: unknown) => {
      if (!current()) return;
      const reason = `authentication failed: ${String(message ?? 'no reason given').slice(0, 200)}`;
      if (++this.authFailures >= MAX_AUTH_FAILURES) return void this.loggedOut(gen, `${reason} (${this.authFailures} times in a row)`);
      this.lost(gen, 'disconnected', reason);
    });
    client.on('change_state', (state: unknown) => {
      if (!current()) return;
      if (UNLINKED.has(String(state))) this.loggedOut(gen, `WhatsApp Web state ${String(state)}`);
    });
    client.on('disconnected', (reason: unknown) => {
      if (!current() || this.state === 'logged_out') return;
      const why = String(reason ?? 'unknown').slice(0, 200);
      if (UNLINKED.has(why)) return void this.loggedOut(gen, `disconnected: ${why}`);
      this.lost(gen, 'disconnected', `disconnected: ${why}`);
    });
    client.on('message', (msg: WwebMessage) => {
      if (current()) void this.take(msg);
    });
    // Calls are not answered (Waspada answers messages); the person is not told anything.
    client.on('call', () => {
      if (current()) this.log.info({ channel: WHATSAPP_WEB }, 'whatsapp-web: a call was ignored');
    });
  }

  /** Opening failed (Chromium, no route to WhatsApp Web, a timeout): `error`, then try again. */
  private failed(gen: number, e: unknown): void {
    if (gen !== this.generation || !this.running) return;
    this.lost(gen, 'error', (e instanceof Error ? e.message : String(e)).slice(0, 300));
  }

  /** The client is gone: close it and build another after a back-off that doubles with each failure. */
  private lost(gen: number, state: 'disconnected' | 'error', reason: string): void {
    if (gen !== this.generation || !this.running) return;
    this.generation++;
    this.clearTimers();
    this.setState(state, reason);
    const wait = Math.min(this.s.WHATSAPP_WEB_RECONNECT_SECONDS * 1000 * 2 ** this.reconnects++, MAX_RECONNECT_MS);
    this.log.warn({ channel: WHATSAPP_WEB, state, reason, retry_in_ms: wait }, 'whatsapp-web: the link is down; reconnecting');
    void this.drop();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) void this.connect();
    }, wait);
    this.reconnectTimer.unref();
  }

  /** WhatsApp unlinked or blocked the number: stop (no reconnecting, nothing sent) until someone links it again. */
  private loggedOut(gen: number, reason: string): void {
    if (gen !== this.generation || !this.running) return;
    this.generation++;
    this.clearTimers();
    this.setState('logged_out', reason);
    this.log.error(
      { channel: WHATSAPP_WEB, reason },
      'whatsapp-web: WhatsApp logged this number out or blocked it; nothing is sent (messages wait in the outbox). Link a phone again: restart and scan the new QR code, or move to the Cloud API (README)',
    );
    void this.drop();
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.removeAllListeners();
    try {
      await client.destroy();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'whatsapp-web: closing the client failed');
    }
  }

  // ---- incoming ------------------------------------------------------------------------------

  /** A chat as the record of who wrote knows it: a keyed hash, so that no key or member is a phone number. */
  private ref(chat: string): string {
    return chatRef(this.secret, chat);
  }

  private remember(ref: string): void {
    if (this.known.size >= KNOWN_KEPT) this.known.delete(this.known.values().next().value!);
    this.known.add(ref);
  }

  /**
   * Stores a message in the inbox, and first that its sender wrote (replies may then be sent to them).
   * whatsapp-web.js never delivers a message twice: while Redis is away this keeps trying until it is
   * stored (or the channel stops). A repeat of a stored message is dropped by the inbox.
   */
  private async take(msg: WwebMessage): Promise<void> {
    let body: WwebBody | null;
    try {
      body = messageToBody(msg);
    } catch {
      body = null;
    }
    if (!body) return;
    const id = messageId(msg);
    if (!id) return void this.log.warn({ channel: WHATSAPP_WEB, type: msg.type }, 'whatsapp-web: a message without a usable id was ignored');
    // A picture is not downloaded here: it would be stored with the delivery. The body keeps its
    // message's id (see messageToBody), and inbound() gives a picture that finds the message again on
    // the linked phone (getMessageById) and downloads it (downloadMedia) when the message is handled.
    const ref = this.ref(body.chat);
    const delivery = { channel: WHATSAPP_WEB, id: `${ref}.${id}`, body };
    for (let attempt = 0; ; attempt++) {
      try {
        // One connection, in this order: the record is there before the worker can read the message.
        await Promise.all([this.redis.sadd(`${this.base}wrote`, ref), this.inbox.ingest(delivery, { user: body.chat, text: body.text })]);
        this.remember(ref);
        return;
      } catch (e) {
        if (!this.running) return void this.log.error({ channel: WHATSAPP_WEB, err: (e as Error).message }, 'whatsapp-web: stopped before a message could be stored; it is lost');
        if (attempt === 0) this.log.error({ channel: WHATSAPP_WEB, err: (e as Error).message }, 'whatsapp-web: could not store a message; retrying');
        await sleep(Math.min(100 * 2 ** attempt, 2000));
      }
    }
  }

  /**
   * A delivery as a message. A picture's file is on the linked phone's side of WhatsApp: only the
   * process holding the started client can download it. A process that does not (it never started the
   * channel, or is stopping) leaves such a delivery to the one that does (NotMine: unacknowledged, taken
   * over by that process); its other messages it handles, their replies wait in the outbox for that one.
   */
  async inbound(d: Delivery): Promise<Inbound | null> {
    const b = d.body as WwebBody;
    const inbound: Inbound = { channel: WHATSAPP_WEB, userId: b.chat, messageId: d.id, text: b.text, media: b.media, langHint: null };
    const p = b.picture;
    if (p) {
      if (!this.running) throw new NotMine(`${WHATSAPP_WEB}: a picture is downloaded by the process holding the linked phone`);
      inbound.picture = pictureSource({ bytes: p.bytes, mime: p.mime, fetch: (max, signal) => this.download(p, max, signal) });
    }
    return inbound;
  }

  /**
   * Downloads a picture from WhatsApp: its message found again by id on the linked phone, refused by the
   * size WhatsApp gives before the download (downloadMedia hands the whole file through the page), then
   * by the size of what came. The link not ready: waited for while it comes up by itself, up to a minute.
   */
  private async download(p: WwebPicture, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
    const client = await this.linked(signal);
    const msg = await untilAborted(client.getMessageById(p.msg), signal);
    if (!msg) throw new PictureProblem('unavailable', 'the message is no longer on the linked phone');
    const size = msg._data?.size;
    if (typeof size === 'number' && size > maxBytes) throw overLimit(size, maxBytes);
    if (typeof msg.downloadMedia !== 'function') throw new PictureProblem('unavailable', 'the message has no file to download');
    const media = (await untilAborted(msg.downloadMedia(), signal)) as { data?: unknown; filesize?: unknown } | null | undefined;
    // undefined: WhatsApp no longer has the file (it expired on its servers), or it could not be fetched.
    if (!media || typeof media.data !== 'string') throw new PictureProblem('unavailable', 'WhatsApp gave no file for the message');
    if (typeof media.filesize === 'number' && media.filesize > maxBytes) throw overLimit(media.filesize, maxBytes);
    // Measured before decoding: base64 is 4 characters for 3 bytes.
    const decoded = Math.floor((media.data.length * 3) / 4);
    if (decoded > maxBytes + 2) throw overLimit(decoded, maxBytes);
    return Buffer.from(media.data, 'base64');
  }

  /** The client, once the link is ready: now, or when it comes up by itself within LINK_WAIT_MS; else 'unavailable'. */
  private async linked(signal?: AbortSignal): Promise<WwebClient> {
    const until = Date.now() + LINK_WAIT_MS;
    while (!(this.state === 'ready' && this.client)) {
      if (!this.running || !COMING_UP.has(this.state) || Date.now() >= until || signal?.aborted) {
        throw new PictureProblem('unavailable', `whatsapp-web is ${this.state}: the picture cannot be downloaded now`);
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stateWaiters.delete(done);
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, until - Date.now()));
        signal?.addEventListener('abort', done);
        this.stateWaiters.add(done);
      });
    }
    return this.client;
  }

  /**
   * Lets the channel write to a chat that never wrote (a person who opted in elsewhere: the broadcast
   * subscription, issue 20). Without it, the channel only answers people who wrote first.
   */
  async allow(chat: string): Promise<void> {
    const ref = this.ref(chat);
    await this.redis.sadd(`${this.base}wrote`, ref);
    this.remember(ref);
  }

  /** Whether the chat wrote (or was allowed). Throws when Redis cannot be reached. */
  async mayWrite(chat: string): Promise<boolean> {
    const ref = this.ref(chat);
    if (this.known.has(ref)) return true;
    const yes = (await this.redis.sismember(`${this.base}wrote`, ref)) === 1;
    if (yes) this.remember(ref);
    return yes;
  }

  // ---- outgoing ------------------------------------------------------------------------------

  render(message: Outbound): unknown[] {
    return renderWweb(message);
  }

  mediaProblem(media: MediaRef): string | null {
    return wwebMediaProblem(media);
  }

  private notReady(): SendResult {
    return { ok: false, kind: 'retry', afterMs: NOT_READY_RETRY_MS, reason: `whatsapp-web is ${this.state}${this.lastError ? `: ${this.lastError}` : ''}` };
  }

  /**
   * Sends one message: only to a chat that wrote first, only while linked, after the pacer's wait.
   * Never throws: not linked is `retry` (nothing is lost, nothing hammers WhatsApp), a number not on
   * WhatsApp is `gone`, a chat that never wrote is refused (`permanent`), anything else `transient`.
   */
  async send(to: string, message: string, hooks?: SendHooks): Promise<SendResult> {
    try {
      let out: WwebOut;
      try {
        out = JSON.parse(message) as WwebOut;
      } catch {
        return { ok: false, kind: 'permanent', reason: 'not a whatsapp-web message (JSON)' };
      }
      if (!out || typeof out.text !== 'string' || (!out.text && !out.media)) return { ok: false, kind: 'permanent', reason: 'not a whatsapp-web message (no text)' };
      if (out.media) {
        const problem = wwebMediaProblem(out.media);
        if (problem) return { ok: false, kind: 'permanent', reason: problem };
      }
      if (!PRIVATE_CHAT.test(to)) return { ok: false, kind: 'gone', reason: `not a WhatsApp private chat: ${to.slice(0, 8)}…` };
      if (!(await this.mayWrite(to))) return { ok: false, kind: 'permanent', reason: 'never wrote: whatsapp-web only answers people who wrote first' };
      if (this.state !== 'ready') return this.notReady();
      // A file is read for each send: whatsapp-web.js cannot reuse an upload. It hands WhatsApp Web the
      // whole file (base64, through the page) on every sendMessage, and WhatsApp Web encrypts and uploads
      // it again; the library gives back no id of the uploaded file to send by. (The Cloud API and
      // Telegram upload once.) At this channel's pace (12 a minute by default) that is affordable.
      const bytes = out.media ? await this.files.get(out.media.id) : null;
      if (out.media && !bytes) {
        const what = out.media.kind === 'image' ? 'picture' : 'video';
        return { ok: false, kind: 'permanent', reason: `the campaign's ${what} ${out.media.id.slice(0, 12)}… is no longer kept (files are kept ${MEDIA_TTL_S / 86_400} days after they were last stored): it cannot be sent` };
      }
      await this.pacer.wait(to);
      const client = this.client;
      if (this.state !== 'ready' || !client) return this.notReady();
      const content = out.media && bytes ? client.media(out.media.mime, bytes.toString('base64'), `${out.media.id.slice(0, 16)}.${EXTENSION[out.media.mime] ?? 'bin'}`) : out.text;
      const options = out.media ? (out.text ? { caption: out.text } : {}) : { linkPreview: false };
      hooks?.written();
      this.pacer.sent(to);
      await withTimeout(client.sendMessage(to, content, options), SEND_TIMEOUT_MS, WA_WEB_TIMEOUT);
      return { ok: true };
    } catch (e) {
      return classifySendError(e);
    }
  }

  /** Best effort, straight to the chat (Redis is away): only while linked, paced like every send. */
  async notify(to: string, text: string): Promise<boolean> {
    try {
      for (const piece of renderWweb({ text })) {
        if (this.state !== 'ready') return false;
        await this.pacer.wait(to);
        const client = this.client;
        if (this.state !== 'ready' || !client) return false;
        this.pacer.sent(to);
        await withTimeout(client.sendMessage(to, piece.text, { linkPreview: false }), SEND_TIMEOUT_MS, WA_WEB_TIMEOUT);
      }
      return true;
    } catch (e) {
      this.log.warn({ channel: WHATSAPP_WEB, err: (e as Error).message }, 'whatsapp-web: a notice could not be sent');
      return false;
    }
  }
}

/** A chat as the record of who wrote knows it (a keyed hash: no key or member is a phone number). */
function chatRef(secret: string, chat: string): string {
  return createHmac('sha256', secret).update(`${WHATSAPP_WEB}:${chat}`).digest('base64url').slice(0, 22);
}

/** The promise, or a PictureProblem once `signal` aborts (the work itself goes on in the page; its result is dropped). */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new PictureProblem('unavailable', 'given up'));
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new PictureProblem('unavailable', 'given up'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}


export const whatsappWeb: ChannelModule<WhatsappWebSettings> = {
  name: WHATSAPP_WEB,
  settings: SETTINGS,
  signals: ['WHATSAPP_WEB_ENABLED'],
  missing(s) {
    const out: string[] = [];
    if (!s.whatsappWeb?.client && !existsSync(s.PUPPETEER_EXECUTABLE_PATH)) {
      out.push(`PUPPETEER_EXECUTABLE_PATH: ${s.PUPPETEER_EXECUTABLE_PATH} does not exist; install Chromium (apt-get install chromium) or point this at a Chrome`);
    }
    return out;
  },
  userId: /^\d{5,20}@(?:c\.us|lid)$/,
  create: (deps) => new WhatsappWebChannel(deps),
  // An imported subscriber who agreed elsewhere may be written to: the same record as someone who wrote.
  async optIn({ settings, redis, keys }, user) {
    if (!settings.HASH_SECRET) throw new Error('HASH_SECRET is needed to record who may be written to on whatsapp-web');
    await redis.sadd(`${keys.channel(WHATSAPP_WEB)}wrote`, chatRef(settings.HASH_SECRET, user));
  },
};
