// Telegram: webhook (through Express) or long polling (through telegraf), the one outbound path with
// Telegram's rate limits, and rendering of replies (HTML-escaped text, inline keyboards, 4096 limit).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { Telegraf, Telegram } from 'telegraf';
import type { InlineKeyboardButton, Update } from 'telegraf/types';
import type { Outbound } from '../content/render.js';
import type { Delivery, Inbox } from '../conversation/inbox.js';
import type { ConversationService } from '../conversation/service.js';
import { silentLogger, userRef, type Logger } from '../log.js';
import { userKey, type Keyspace } from '../store/keys.js';
import { SESSION_TTL_S } from '../store/store.js';
import { TokenBucket } from './ratelimit.js';

export const TELEGRAM = 'telegram';
export const MAX_MESSAGE = 4096;
/** Updates are small; anything bigger than this is not from Telegram. */
export const MAX_UPDATE_BYTES = 1 << 20;
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** What the inbox keeps of an update: only what handling it needs. */
export interface TelegramBody {
  kind: 'message' | 'callback' | 'blocked' | 'unblocked';
  chat: number;
  user: string;
  text?: string;
  choice?: { id: string; token?: number };
  lang?: string;
  callback?: string;
}

const ACCEPTED = {
  queued: Buffer.from('{"ok":true,"outcome":"queued"}'),
  duplicate: Buffer.from('{"ok":true,"outcome":"duplicate"}'),
  ignored: Buffer.from('{"ok":true,"outcome":"ignored"}'),
};

const json = (o: object) => Buffer.from(JSON.stringify(o));
const REFUSED = {
  secret: json({ error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' }),
  tooLarge: json({ error: `body larger than ${MAX_UPDATE_BYTES} bytes` }),
  notJson: json({ error: 'body is not JSON' }),
  notUpdate: json({ error: 'not a Telegram update: update_id missing' }),
  unavailable: json({ error: 'temporarily unavailable' }),
};

const CALLBACK_DATA = /^(\d{1,9}):([a-z0-9_-]{1,40})$/;

/** Turns an update into what we keep of it; null for updates Waspada does not act on. */
export function updateToBody(u: Update): TelegramBody | null {
  if ('message' in u && u.message) {
    const m = u.message;
    if (m.chat.type !== 'private' || !m.from || m.from.is_bot) return null;
    const text = 'text' in m ? m.text : 'caption' in m ? (m.caption ?? '') : '';
    const body: TelegramBody = { kind: 'message', chat: m.chat.id, user: String(m.from.id), text };
    if (m.from.language_code) body.lang = m.from.language_code;
    return body;
  }
  if ('callback_query' in u && u.callback_query) {
    const q = u.callback_query;
    const chat = q.message?.chat.id ?? q.from.id;
    const data = 'data' in q ? q.data : undefined;
    const m = data ? CALLBACK_DATA.exec(data) : null;
    // Data we did not make (or an old format) is handled as a stale button.
    const choice = m ? { id: m[2]!, token: Number(m[1]) } : { id: '', token: -1 };
    const body: TelegramBody = { kind: 'callback', chat, user: String(q.from.id), choice, callback: q.id };
    if (q.from.language_code) body.lang = q.from.language_code;
    return body;
  }
  if ('my_chat_member' in u && u.my_chat_member) {
    const c = u.my_chat_member;
    if (c.chat.type !== 'private') return null;
    const status = c.new_chat_member.status;
    if (status === 'kicked') return { kind: 'blocked', chat: c.chat.id, user: String(c.from.id) };
    if (status === 'member') return { kind: 'unblocked', chat: c.chat.id, user: String(c.from.id) };
  }
  return null;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Splits text into pieces whose escaped length fits, at paragraph, then line, then word boundaries. */
export function splitText(text: string, limit = MAX_MESSAGE): string[] {
  const size = (s: string) => escapeHtml(s).length;
  if (size(text) <= limit) return [text];
  const out: string[] = [];
  const pushPiece = (piece: string, seps: string[]) => {
    if (size(piece) <= limit) return out.push(piece);
    const [sep, ...rest] = seps;
    if (sep === undefined) {
      // No boundary left: cut by code points so that no character is broken.
      let cur = '';
      let curSize = 0;
      for (const ch of piece) {
        const chSize = size(ch);
        if (curSize + chSize > limit) (out.push(cur), (cur = ''), (curSize = 0));
        cur += ch;
        curSize += chSize;
      }
      if (cur) out.push(cur);
      return;
    }
    let cur = '';
    for (const part of piece.split(sep)) {
      const next = cur ? cur + sep + part : part;
      if (size(next) <= limit) cur = next;
      else {
        if (cur) out.push(cur);
        if (size(part) <= limit) cur = part;
        else (pushPiece(part, rest), (cur = ''));
      }
    }
    if (cur) out.push(cur);
  };
  pushPiece(text, ['\n\n', '\n', ' ']);
  return out;
}

export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: true };
  reply_markup?: { inline_keyboard: InlineKeyboardButton[][] };
}

/** One reply as Telegram messages: escaped HTML pieces; the buttons go with the last piece. */
export function renderTelegram(reply: Outbound): TelegramMessage[] {
  const pieces = splitText(reply.text || ' ');
  return pieces.map((piece, i) => {
    const msg: TelegramMessage = { text: escapeHtml(piece), parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
    if (i === pieces.length - 1 && reply.choices?.length) {
      msg.reply_markup = {
        inline_keyboard: reply.choices.map((c) => [{ text: c.label, callback_data: `${reply.token ?? 0}:${c.id}` }]),
      };
    }
    return msg;
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A constant-time check of the webhook secret (hashed first, so lengths do not matter). */
export function secretChecker(expected: string): (given: string | undefined) => boolean {
  const want = digest(expected);
  return (given) => given !== undefined && timingSafeEqual(digest(given), want);
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  return secretChecker(expected)(given);
}

/**
 * sendMessage on the hot path: one JSON POST over a keep-alive connection. (telegraf's client, used
 * for every other call, goes through node-fetch; on this path it cost more CPU than the rest of a
 * message's handling.) Failures are thrown in telegraf's TelegramError shape.
 */
export class BotApiSender {
  private readonly base: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly request: typeof httpRequest;

  constructor(token: string, apiRoot: string, agent: HttpAgent | HttpsAgent) {
    this.base = new URL(`${apiRoot.replace(/\/$/, '')}/bot${token}/sendMessage`);
    this.agent = agent;
    this.request = this.base.protocol === 'https:' ? httpsRequest : httpRequest;
  }

  sendMessage(chatId: number, msg: TelegramMessage): Promise<void> {
    const body = JSON.stringify({ chat_id: chatId, ...msg });
    return new Promise((resolve, reject) => {
      const req = this.request(
        this.base,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200) return resolve();
            let answer: { error_code?: number; description?: string; parameters?: { retry_after?: number } } = {};
            try {
              answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              /* not JSON: a proxy or a crash in between */
            }
            const error_code = answer.error_code ?? res.statusCode ?? 0;
            reject(Object.assign(new Error(`${error_code}: ${answer.description ?? res.statusMessage}`), { response: { ...answer, error_code } }));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('sendMessage timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

interface Job {
  chat: number;
  msg: TelegramMessage;
  attempts: number;
  done: () => void;
}

export interface SenderOptions {
  /** Messages per second to one chat (Telegram: about 1) and the burst allowed. */
  perChat?: number;
  perChatBurst?: number;
  /** Messages per second overall (Telegram: about 30). */
  global?: number;
  maxAttempts?: number;
  onBlocked?: (chat: number) => Promise<void> | void;
  log?: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The one outbound path: per-chat order, Telegram's limits, 429 waited out, 403 recorded. */
export class TelegramSender {
  private readonly chats = new Map<number, { queue: Job[]; bucket: TokenBucket; running: boolean }>();
  private readonly global: TokenBucket;
  private readonly perChat: number;
  private readonly perChatBurst: number;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onBlocked: (chat: number) => Promise<void> | void;
  private pendingCount = 0;
  private idleWaiters: (() => void)[] = [];
  /** Counters for /healthz and tests. */
  readonly stats = { sent: 0, retried429: 0, blocked: 0, failed: 0 };

  constructor(
    private readonly api: { sendMessage(chat: number, msg: TelegramMessage): Promise<unknown> },
    opts: SenderOptions = {},
  ) {
    this.perChat = opts.perChat ?? 1;
    this.perChatBurst = opts.perChatBurst ?? 3;
    this.now = opts.now ?? Date.now;
    this.global = new TokenBucket(opts.global ?? 30, opts.global && Number.isFinite(opts.global) ? opts.global : 30, this.now());
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.log = opts.log ?? silentLogger;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.onBlocked = opts.onBlocked ?? (() => undefined);
  }

  /** Queues messages for a chat, in order; resolves when they were sent or given up. */
  send(chat: number, msgs: TelegramMessage[]): Promise<void> {
    if (!msgs.length) return Promise.resolve();
    let state = this.chats.get(chat);
    if (!state) {
      state = { queue: [], bucket: new TokenBucket(this.perChat, this.perChatBurst, this.now()), running: false };
      this.chats.set(chat, state);
    }
    const all = msgs.map(
      (msg) =>
        new Promise<void>((done) => {
          this.pendingCount++;
          state!.queue.push({ chat, msg, attempts: 0, done });
        }),
    );
    if (!state.running) void this.drain(chat, state);
    return Promise.all(all).then(() => undefined);
  }

  /** Messages waiting to be sent. */
  get pending(): number {
    return this.pendingCount;
  }

  /** Resolves once nothing is waiting to be sent. */
  idle(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private finish(job: Job): void {
    job.done();
    this.pendingCount--;
    if (this.pendingCount === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async drain(chat: number, state: { queue: Job[]; bucket: TokenBucket; running: boolean }): Promise<void> {
    state.running = true;
    while (state.queue.length) {
      const job = state.queue[0]!;
      let wait = Math.max(state.bucket.waitMs(this.now()), this.global.waitMs(this.now()));
      while (wait > 0) {
        await this.sleep(wait);
        wait = Math.max(state.bucket.waitMs(this.now()), this.global.waitMs(this.now()));
      }
      state.bucket.take(this.now());
      this.global.take(this.now());
      const outcome = await this.attempt(job, state.bucket);
      if (outcome === 'retry') continue;
      state.queue.shift();
      this.finish(job);
      if (outcome === 'blocked') {
        // Nothing more can reach this chat.
        for (const rest of state.queue.splice(0)) this.finish(rest);
      }
    }
    state.running = false;
    // Forget the chat once its bucket has refilled (a fresh bucket is the same then), so that the map
    // holds only chats that were written to in the last few seconds.
    const refill = Math.ceil((this.perChatBurst / this.perChat) * 1000);
    const forget = () => {
      // Only this state: the chat may have been forgotten and written to again since.
      if (this.chats.get(chat) !== state || state.running || state.queue.length) return;
      if (state.bucket.idle(this.now())) this.chats.delete(chat);
      else setTimeout(forget, refill).unref();
    };
    if (Number.isFinite(refill)) setTimeout(forget, refill).unref();
    else this.chats.delete(chat);
  }

  /** Chats with sender state (for tests and /healthz). */
  get chatCount(): number {
    return this.chats.size;
  }

  private async attempt(job: Job, bucket: TokenBucket): Promise<'sent' | 'retry' | 'blocked' | 'dropped'> {
    job.attempts++;
    try {
      await this.api.sendMessage(job.chat, job.msg);
      this.stats.sent++;
      return 'sent';
    } catch (e) {
      const err = e as { response?: { error_code?: number; parameters?: { retry_after?: number } }; message?: string };
      const code = err.response?.error_code;
      const chat = userRef(`${TELEGRAM}:${job.chat}`);
      if (code === 403) {
        this.stats.blocked++;
        this.log.info({ chat }, 'user blocked the bot; marked unreachable');
        await Promise.resolve(this.onBlocked(job.chat)).catch((x: Error) => this.log.error({ err: x.message }, 'could not record unreachable user'));
        return 'blocked';
      }
      if (job.attempts >= this.maxAttempts || (code !== undefined && code !== 429 && code < 500)) {
        this.stats.failed++;
        this.log.error({ chat, code, err: err.message, attempts: job.attempts }, 'message not delivered');
        return 'dropped';
      }
      if (code === 429) {
        this.stats.retried429++;
        const seconds = err.response?.parameters?.retry_after ?? 1;
        bucket.pauseUntil(this.now() + seconds * 1000);
        this.log.warn({ chat, retry_after: seconds }, 'telegram asked us to slow down');
      } else {
        // Telegram or the network failed: back off and try again.
        await this.sleep(Math.min(500 * 2 ** (job.attempts - 1), 8000));
      }
      return 'retry';
    }
  }
}

export interface TelegramChannelOptions {
  token: string;
  apiRoot?: string;
  secret?: string;
  inbox: Inbox;
  service: ConversationService;
  redis: Redis;
  keys: Keyspace;
  sender?: SenderOptions;
  log?: Logger;
}

function keepAliveAgent(apiRoot: string): HttpAgent | HttpsAgent {
  const o = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 64 };
  return apiRoot.startsWith('https:') ? new HttpsAgent(o) : new HttpAgent(o);
}

export function telegramClient(token: string, apiRoot = 'https://api.telegram.org'): Telegram {
  return new Telegram(token, { apiRoot, agent: keepAliveAgent(apiRoot) });
}

/** Reads the body ourselves: capped, no JSON middleware on the hot path. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve('too_large');
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

export class TelegramChannel {
  readonly telegram: Telegram;
  readonly sender: TelegramSender;
  private readonly log: Logger;
  private bot: Telegraf | null = null;
  mode: 'webhook' | 'polling' = 'webhook';

  constructor(private readonly opts: TelegramChannelOptions) {
    this.log = opts.log ?? silentLogger;
    this.telegram = telegramClient(opts.token, opts.apiRoot);
    const apiRoot = opts.apiRoot ?? 'https://api.telegram.org';
    this.sender = new TelegramSender(new BotApiSender(opts.token, apiRoot, keepAliveAgent(apiRoot)), {
      ...opts.sender,
      log: this.log,
      onBlocked: (chat) => this.markUnreachable(String(chat), true),
    });
  }

  private async markUnreachable(user: string, blocked: boolean): Promise<void> {
    const key = this.opts.keys.unreachable(userKey(TELEGRAM, user));
    // Kept as long as a session would be: the user's data never outlives the privacy notice's promise.
    if (blocked) await this.opts.redis.set(key, '1', 'EX', SESSION_TTL_S);
    else await this.opts.redis.del(key);
  }

  /** Queues an update; one Redis round trip. */
  async accept(update: Update): Promise<'queued' | 'duplicate' | 'ignored'> {
    let body: TelegramBody | null;
    try {
      body = updateToBody(update);
    } catch {
      // Right secret, wrong shape: nothing to act on; not an error to retry.
      this.log.warn({ update_id: update.update_id }, 'malformed Telegram update ignored');
      return 'ignored';
    }
    if (!body) return 'ignored';
    return this.opts.inbox.ingest({ channel: TELEGRAM, id: String(update.update_id), body });
  }

  /**
   * POST /webhooks/telegram, as a plain Node handler: the hot path of the service, so no framework
   * work per request (it is mounted before Express; see src/server.ts).
   */
  webhook(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    if (!this.opts.secret) throw new Error('TELEGRAM_WEBHOOK_SECRET is needed for the webhook');
    const secretOk = secretChecker(this.opts.secret);
    const answer = (res: ServerResponse, status: number, body: Buffer) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    };
    return async (req, res) => {
      if (!secretOk(req.headers['x-telegram-bot-api-secret-token'] as string | undefined)) {
        answer(res, 401, REFUSED.secret);
        req.resume();
        return;
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_UPDATE_BYTES) {
        answer(res, 413, REFUSED.tooLarge);
        req.resume();
        return;
      }
      let update: Update;
      try {
        const raw = await readBody(req, MAX_UPDATE_BYTES);
        if (raw === 'too_large') return answer(res, 413, REFUSED.tooLarge);
        update = JSON.parse(raw.toString('utf8')) as Update;
      } catch {
        return answer(res, 400, REFUSED.notJson);
      }
      if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id) || update.update_id < 0) {
        return answer(res, 400, REFUSED.notUpdate);
      }
      try {
        answer(res, 200, ACCEPTED[await this.accept(update)]);
      } catch (e) {
        // Not stored: answer 503 so that Telegram delivers the update again later.
        this.log.error({ err: (e as Error).message }, 'could not queue a Telegram update');
        answer(res, 503, REFUSED.unavailable);
      }
    };
  }

  /** Handles one queued update: runs the conversation and sends the replies. */
  async handle(d: Delivery): Promise<void> {
    const b = d.body as TelegramBody;
    if (b.kind === 'blocked' || b.kind === 'unblocked') return this.markUnreachable(b.user, b.kind === 'blocked');
    if (b.callback) {
      this.telegram.answerCbQuery(b.callback).catch((e: Error) => this.log.warn({ err: e.message }, 'answerCallbackQuery failed'));
    }
    const handled = await this.opts.service.handle({
      channel: TELEGRAM,
      userId: b.user,
      messageId: d.id,
      text: b.text,
      choice: b.choice,
      langHint: b.lang ?? null,
    });
    if (handled.duplicate) return;
    // Queued, not awaited: a chat waiting out its rate limit must not hold an inbox slot. The per-chat
    // queue keeps the order; stop() waits until the queue is empty.
    void this.sender.send(b.chat, handled.replies.flatMap(renderTelegram));
  }

  /** Long polling (no public URL needed): updates go through the same inbox as webhook ones. */
  startPolling(): void {
    this.mode = 'polling';
    const bot = new Telegraf(this.opts.token, { telegram: { apiRoot: this.opts.apiRoot ?? 'https://api.telegram.org', agent: (this.telegram as unknown as { options: { agent: HttpAgent } }).options.agent } });
    bot.use(async (ctx) => {
      // Telegram forgets an update once polling moves past it: keep trying until it is stored.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.accept(ctx.update);
          return;
        } catch (e) {
          if (!this.bot) throw e;
          if (attempt === 0) this.log.error({ err: (e as Error).message }, 'polling: could not queue an update; retrying');
          await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
        }
      }
    });
    bot.catch((e) => this.log.error({ err: (e as Error).message }, 'polling: update not queued'));
    this.bot = bot;
    bot.launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false }).catch((e: Error) => {
      this.log.error({ err: e.message }, 'polling stopped');
    });
  }

  async setWebhook(url: string): Promise<void> {
    await this.telegram.setWebhook(url, { secret_token: this.opts.secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 40 });
  }

  /** Stops polling (no more updates come in this way). */
  stopPolling(): void {
    const bot = this.bot;
    this.bot = null;
    if (bot) {
      try {
        bot.stop('shutdown');
      } catch {
        /* not running */
      }
    }
  }

  /** Waits until every queued reply was sent, or the deadline passed; says how many were left. */
  async drain(deadlineMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.sender.idle(), new Promise((r) => (timer = setTimeout(r, deadlineMs)))]);
    clearTimeout(timer);
    const left = this.sender.pending;
    if (left) this.log.warn({ left }, 'stopping with replies not sent');
    return left;
  }
}
