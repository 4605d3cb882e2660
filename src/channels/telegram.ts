// Telegram: the webhook (a plain Node handler before Express) or long polling (telegraf), parsing
// updates into what the inbox keeps (of a picture a person sends, its file_id: see ./telegram-picture.ts),
// rendering replies (HTML-escaped text, inline keyboards, the 4096 limit; campaign pictures and videos
// with their captions: see ./telegram-media.ts), sending one message over a keep-alive connection and
// classifying Telegram's answer for the outbox, and the telegram:set-webhook command.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
// telegraf is loaded only for long polling and the set-webhook command: the webhook path does without.
import type { Telegraf, Telegram } from 'telegraf';
import type { InlineKeyboardButton, Update } from 'telegraf/types';
import { z } from 'zod';
import type { Outbound } from '../content/render.js';
import type { MediaRef } from '../engine/types.js';
import { RetryLater, type Delivery, type DeliveryFrom, type Inbox } from '../conversation/inbox.js';
import type { Inbound, MediaKind } from '../conversation/service.js';
import { silentLogger, type Logger } from '../log.js';
import type { Recipients } from '../outbox/recipients.js';
import { MediaStore } from '../store/media.js';
import { isUnavailable } from '../store/store.js';
import { answer, beforeBytes, jsonBody, keepAliveAgent, readBody, refuse, sameSecret, secretChecker } from './http.js';
import { splitBy } from './split.js';
import { pictureOf, telegramPicture, type TelegramPicture } from './telegram-picture.js';
import {
  MAX_CAPTION, MEDIA_JSON_START, TelegramMediaSender, telegramMediaProblem,
  type ApiAnswer, type ApiExchange, type TelegramMediaMessage,
} from './telegram-media.js';
import type { Channel, ChannelDeps, ChannelLimits, ChannelModule, Routes, SendHooks, SendResult } from './port.js';

export { sameSecret };

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
  media?: MediaKind;
  choice?: { id: string; turn?: number };
  lang?: string;
  callback?: string;
  /** A photo's or image file's file_id and what Telegram said of it: fetched when the message is handled. */
  picture?: TelegramPicture;
  /** The message's id in its chat (a person in safety mode: deleted with the conversation on the exit word). */
  mid?: number;
}

const ACCEPTED = {
  queued: Buffer.from('{"ok":true,"outcome":"queued"}'),
  handled: Buffer.from('{"ok":true,"outcome":"handled"}'),
  duplicate: Buffer.from('{"ok":true,"outcome":"duplicate"}'),
  ignored: Buffer.from('{"ok":true,"outcome":"ignored"}'),
  // Accepted (Telegram must not deliver it again), but not handled: too many from one sender.
  flooding: Buffer.from('{"ok":true,"outcome":"ignored"}'),
};

const json = jsonBody;
const REFUSED = {
  secret: json({ error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' }),
  tooLarge: json({ error: `body larger than ${MAX_UPDATE_BYTES} bytes` }),
  notJson: json({ error: 'body is not JSON' }),
  notUpdate: json({ error: 'not a Telegram update: update_id missing' }),
  unavailable: json({ error: 'temporarily unavailable' }),
};

const CALLBACK_DATA = /^(\d{1,9}):([a-z0-9_-]{1,40})$/;

/** Telegram's ids are integers of at most 52 bits; a private chat's id is the person's, positive. */
const MAX_ID = 2 ** 52;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v < MAX_ID;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A language code as Telegram sends it (IETF tag); anything else is no hint. */
const LANG_CODE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;
/** Longest text kept from a message: Telegram's own limit is 4096 for text, 1024 for captions. */
const MAX_TEXT = 4096;

/** What a message carried besides text, by the field Telegram puts it in. */
const MEDIA_FIELDS: [string, MediaKind][] = [
  ['photo', 'photo'], ['sticker', 'sticker'], ['voice', 'voice'], ['video_note', 'video'], ['video', 'video'],
  ['animation', 'video'], ['audio', 'audio'], ['location', 'location'], ['venue', 'location'], ['contact', 'contact'],
];

function mediaOf(m: Record<string, unknown>): MediaKind | undefined {
  if (isObject(m.document)) return typeof m.document.mime_type === 'string' && m.document.mime_type.startsWith('image/') ? 'image' : 'document';
  for (const [field, kind] of MEDIA_FIELDS) if (m[field] !== undefined) return kind;
  return undefined;
}

const langOf = (from: Record<string, unknown>) => (typeof from.language_code === 'string' && LANG_CODE.test(from.language_code) ? from.language_code : undefined);

/**
 * Turns an update into what we keep of it; null for updates Waspada does not act on. Checks the
 * shape of everything it keeps (the secret proves the sender, not the sanity of the body): ids are
 * Telegram ids, a private chat is its person's, texts are strings (cut to Telegram's limit). A message
 * with anything else where its text should be is kept as a message of an unknown kind, so that the
 * person is still answered.
 */
export function updateToBody(u: Update): TelegramBody | null {
  const raw = u as unknown as Record<string, unknown>;
  if (isObject(raw.message)) {
    const m = raw.message;
    if (!isObject(m.chat) || m.chat.type !== 'private' || !isId(m.chat.id)) return null;
    if (!isObject(m.from) || m.from.is_bot === true || m.from.id !== m.chat.id) return null;
    const said = m.text !== undefined ? m.text : m.caption;
    const body: TelegramBody = { kind: 'message', chat: m.chat.id, user: String(m.chat.id) };
    if (Number.isSafeInteger(m.message_id)) body.mid = m.message_id as number;
    if (typeof said === 'string') body.text = said.slice(0, MAX_TEXT);
    const media = mediaOf(m) ?? (typeof said === 'string' ? undefined : 'other');
    if (media) body.media = media;
    const picture = media === 'photo' || media === 'image' ? pictureOf(m) : undefined;
    if (picture) body.picture = picture;
    const lang = langOf(m.from);
    if (lang) body.lang = lang;
    return body;
  }
  if (isObject(raw.callback_query)) {
    const q = raw.callback_query;
    if (!isObject(q.from) || !isId(q.from.id) || q.from.is_bot === true || typeof q.id !== 'string' || q.id.length > 64) return null;
    const chat = isObject(q.message) && isObject(q.message.chat) ? q.message.chat : undefined;
    if (chat && (chat.type !== 'private' || chat.id !== q.from.id)) return null;
    const data = typeof q.data === 'string' ? CALLBACK_DATA.exec(q.data) : null;
    // Data we did not make (or an old format) is handled as a stale button.
    const choice = data ? { id: data[2]!, turn: Number(data[1]) } : { id: '', turn: -1 };
    const body: TelegramBody = { kind: 'callback', chat: q.from.id, user: String(q.from.id), choice, callback: q.id };
    const lang = langOf(q.from);
    if (lang) body.lang = lang;
    return body;
  }
  if (isObject(raw.my_chat_member)) {
    const c = raw.my_chat_member;
    if (!isObject(c.chat) || c.chat.type !== 'private' || !isId(c.chat.id) || !isObject(c.new_chat_member)) return null;
    const status = c.new_chat_member.status;
    if (status === 'kicked') return { kind: 'blocked', chat: c.chat.id, user: String(c.chat.id) };
    if (status === 'member') return { kind: 'unblocked', chat: c.chat.id, user: String(c.chat.id) };
  }
  return null;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Splits text into pieces whose escaped length fits, at paragraph, then line, then word boundaries. */
export function splitText(text: string, limit = MAX_MESSAGE): string[] {
  return splitBy(text, limit, (s) => escapeHtml(s).length);
}

export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: true };
  reply_markup?: { inline_keyboard: InlineKeyboardButton[][] };
  /** Safety mode: no sound, and not forwardable or savable; its id is kept to delete it on the exit word. */
  disable_notification?: true;
  protect_content?: true;
}

/** What the outbox keeps for the exit word on Telegram: delete the conversation's messages (see TelegramChannel.clear). */
export const CLEAR_CHAT = '{"clear_chat":true}';
/** In a message's JSON: sent in safety mode (its id is kept). */
const PROTECTED = '"protect_content":true';
/**
 * A message of an urgent conversation: its id is kept too (for the exit word, should safety mode come
 * on). The field is first in the JSON the outbox keeps, and taken out before it is sent.
 */
const TRACK_FIELD = '_track';
const TRACKED = `{"${TRACK_FIELD}":1,`;
/** Telegram lets a bot delete messages of a private chat for 48 hours; at most 100 in one deleteMessages. */
const DELETE_BATCH = 100;

/** One reply as Telegram messages: escaped HTML pieces; the buttons go with the last piece. */
export function renderTelegram(reply: Outbound): TelegramMessage[] {
  const pieces = splitText(reply.text || ' ');
  return pieces.map((piece, i) => {
    const msg: TelegramMessage = { text: escapeHtml(piece), parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
    if (i === pieces.length - 1 && reply.choices?.length) msg.reply_markup = inlineKeyboard(reply);
    if (reply.quiet) {
      msg.disable_notification = true;
      msg.protect_content = true;
    } else if (reply.track) return { [TRACK_FIELD]: 1, ...msg } as TelegramMessage;
    return msg;
  });
}

/** The reply's choices as buttons, one a row; their data carries the turn (stale buttons are recognised). */
function inlineKeyboard(reply: Outbound): { inline_keyboard: InlineKeyboardButton[][] } {
  return { inline_keyboard: (reply.choices ?? []).map((c) => [{ text: c.label, callback_data: `${reply.turn ?? 0}:${c.id}` }]) };
}

/**
 * One reply as Telegram messages, a picture or video with it: the file with the text as its caption
 * (and the buttons), or, when the text is longer than a caption may be (1024 characters), the file
 * alone and then the text as renderTelegram makes it. Without a file: renderTelegram's messages.
 */
export function renderTelegramReply(reply: Outbound): (TelegramMessage | TelegramMediaMessage | { clear_chat: true })[] {
  // The exit word: the bot deletes what it can of the conversation, and says nothing (its text says
  // how to clear a chat by hand, for platforms where a bot cannot).
  if (reply.clear) return [{ clear_chat: true }];
  if (!reply.media) return renderTelegram(reply);
  const text = reply.text ?? '';
  // Counted in UTF-16 units, never fewer than the characters Telegram counts.
  const fits = text.length <= MAX_CAPTION;
  const media: TelegramMediaMessage = { media: reply.media };
  if (fits && text.trim()) {
    media.caption = escapeHtml(text);
    media.parse_mode = 'HTML';
  }
  if (fits) {
    if (reply.choices?.length) media.reply_markup = inlineKeyboard(reply);
    return [media];
  }
  return [media, ...renderTelegram({ ...reply, media: undefined })];
}

/** Telegram's error answer. */
type ApiError = ApiAnswer;

/**
 * What Telegram's answer means for the outbox. 429: wait `retry_after`. 403 (blocked, deactivated,
 * "can't initiate conversation") and 400 "chat not found": the recipient is gone. Other 400s: this
 * message is refused. 401/404 (a wrong token) and 5xx: failures that may pass; retried with back-off
 * and logged, never a reason to drop people.
 */
export function classify(status: number, parsed: ApiError | null | undefined): SendResult {
  if (status === 200) return { ok: true };
  const answer: ApiError = parsed && typeof parsed === 'object' ? parsed : {};
  const code = typeof answer.error_code === 'number' ? answer.error_code : status;
  const reason = `${code}: ${answer.description ?? 'no description'}`;
  if (code === 429) return { ok: false, kind: 'retry', afterMs: Math.max(1, Number(answer.parameters?.retry_after) || 1) * 1000, reason };
  if (code === 403) return { ok: false, kind: 'gone', reason };
  if (code === 400 && /chat not found|user not found|PEER_ID_INVALID|bot was blocked/i.test(answer.description ?? '')) return { ok: false, kind: 'gone', reason };
  if (code === 400) return { ok: false, kind: 'permanent', reason };
  return { ok: false, kind: 'transient', reason };
}

/** How long to wait for Telegram's answer before trying again. Long: a slow answer is waited out, not sent twice. */
export const SEND_TIMEOUT_MS = 5 * 60_000;
const NOTICE_TIMEOUT_MS = 10_000;

/**
 * sendMessage on the hot path: one JSON POST over a keep-alive connection. (telegraf's client, used
 * for every other call, goes through node-fetch; on this path it cost more CPU than the rest of a
 * message's handling.) Never throws: the answer is classified for the outbox.
 */
export class BotApiSender {
  private readonly base: URL;
  private readonly answerUrl: URL;
  private readonly urls = new Map<string, URL>();
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly request: typeof httpRequest;

  constructor(
    token: string,
    apiRoot: string,
    agent: HttpAgent | HttpsAgent,
    private readonly timeoutMs = SEND_TIMEOUT_MS,
  ) {
    this.base = new URL(`${apiRoot.replace(/\/$/, '')}/bot${token}/sendMessage`);
    this.answerUrl = new URL('answerCallbackQuery', this.base);
    this.agent = agent;
    this.request = this.base.protocol === 'https:' ? httpsRequest : httpRequest;
  }

  sendMessage(chatId: number, msg: TelegramMessage, hooks?: SendHooks): Promise<SendResult> {
    return this.sendJson(chatId, JSON.stringify(msg), hooks);
  }

  /** Sends a message already in JSON (as the outbox keeps it), adding the chat without parsing it. `keepId`: its id is read from the answer. */
  sendJson(chatId: number, json: string, hooks?: SendHooks, keepId = false): Promise<SendResult> {
    const body = json.length > 2 ? `{"chat_id":${chatId},${json.slice(1)}` : `{"chat_id":${chatId}}`;
    return this.post(this.base, body, hooks, keepId);
  }

  /** answerCallbackQuery: the pressed button stops showing that it is waiting. */
  answerCallback(id: string): Promise<SendResult> {
    return this.post(this.answerUrl, JSON.stringify({ callback_query_id: id }));
  }

  /**
   * Any Bot API method, its body already encoded (JSON, or multipart/form-data for an upload): the
   * answer's status and parsed JSON. `hooks.written` runs just before the body's bytes leave, as for
   * sendMessage. Never throws.
   */
  call(method: string, body: string | Buffer, contentType: string, hooks?: SendHooks): Promise<ApiExchange> {
    let url = this.urls.get(method);
    if (!url) this.urls.set(method, (url = new URL(method, this.base)));
    return this.exchange(url, body, contentType, hooks, true);
  }

  /** `keepId`: the message's id is read from the answer (ref), for a message to be deleted later. */
  private async post(url: URL, body: string, hooks?: SendHooks, keepId = false): Promise<SendResult> {
    const r = await this.exchange(url, body, 'application/json', hooks, keepId);
    if ('error' in r) return { ok: false, kind: 'transient', reason: r.error };
    if (r.status !== 200) return classify(r.status, r.json);
    const id = (r.json as { result?: { message_id?: unknown } } | null)?.result?.message_id;
    return keepId && Number.isSafeInteger(id) ? { ok: true, ref: String(id) } : { ok: true };
  }

  /** One request. A 200's body is read only when `answer200` (sendMessage's is not needed). */
  private exchange(url: URL, body: string | Buffer, contentType: string, hooks: SendHooks | undefined, answer200: boolean): Promise<ApiExchange> {
    return new Promise((resolve) => {
      const req = this.request(
        url,
        { method: 'POST', agent: this.agent, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status === 200 && !answer200) return resolve({ status, json: null });
            let json: ApiError | null = null;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ApiError | null;
            } catch {
              /* not JSON: a proxy or a crash in between */
            }
            resolve({ status, json: json && typeof json === 'object' ? json : null });
          });
          res.on('error', (e) => resolve({ error: e.message }));
        },
      );
      beforeBytes(req, hooks);
      req.on('timeout', () => req.destroy(new Error(`no answer from Telegram within ${this.timeoutMs} ms`)));
      req.on('error', (e) => resolve({ error: e.message }));
      req.end(body);
    });
  }
}


export interface TelegramSettings {
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_WEBHOOK_SECRET?: string;
  TELEGRAM_MODE: 'webhook' | 'polling';
  TELEGRAM_API_ROOT: string;
  TELEGRAM_RATE_PER_CHAT: number;
  TELEGRAM_BURST_PER_CHAT: number;
  TELEGRAM_RATE_GLOBAL: number;
}

const SETTINGS = {
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF… (from @BotFather)').optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'TELEGRAM_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  TELEGRAM_API_ROOT: z.string().url('TELEGRAM_API_ROOT must be a URL such as https://api.telegram.org').default('https://api.telegram.org'),
  /** Telegram's own limits by default: about one message a second to a chat, 30 a second overall. */
  TELEGRAM_RATE_PER_CHAT: z.coerce.number().positive().default(1),
  TELEGRAM_BURST_PER_CHAT: z.coerce.number().int().min(1).max(20).default(3),
  TELEGRAM_RATE_GLOBAL: z.coerce.number().positive().default(30),
};


export async function telegramClient(token: string, apiRoot = 'https://api.telegram.org'): Promise<Telegram> {
  const { Telegram } = await import('telegraf');
  return new Telegram(token, { apiRoot, agent: keepAliveAgent(apiRoot) });
}

export const WEBHOOK_PATH = '/webhooks/telegram';

export class TelegramChannel implements Channel {
  readonly name = TELEGRAM;
  readonly limits: ChannelLimits;
  private readonly api: BotApiSender;
  /** For notices sent when the outbox is away: a short wait, they are best effort. */
  private readonly direct: BotApiSender;
  private readonly log: Logger;
  private readonly inbox: Inbox;
  private readonly recipients: Recipients;
  private readonly s: TelegramSettings;
  /** Pictures and videos: uploaded once, then sent by Telegram's file_id (kept in Redis). */
  private readonly media: TelegramMediaSender;
  private bot: Telegraf | null = null;

  constructor(deps: ChannelDeps<TelegramSettings>) {
    this.s = deps.settings;
    this.log = deps.log ?? silentLogger;
    this.inbox = deps.inbox;
    this.recipients = deps.recipients;
    this.api = new BotApiSender(this.s.TELEGRAM_BOT_TOKEN!, this.s.TELEGRAM_API_ROOT, keepAliveAgent(this.s.TELEGRAM_API_ROOT));
    this.direct = new BotApiSender(this.s.TELEGRAM_BOT_TOKEN!, this.s.TELEGRAM_API_ROOT, keepAliveAgent(this.s.TELEGRAM_API_ROOT), NOTICE_TIMEOUT_MS);
    this.limits = { perSecond: this.s.TELEGRAM_RATE_GLOBAL, perChatPerSecond: this.s.TELEGRAM_RATE_PER_CHAT, perChatBurst: this.s.TELEGRAM_BURST_PER_CHAT };
    this.media = new TelegramMediaSender({
      call: (method, body, contentType, hooks) => this.api.call(method, body, contentType, hooks),
      classify,
      store: new MediaStore(deps.redis, deps.keys),
      redis: deps.redis,
      base: deps.keys.channel(TELEGRAM),
      log: this.log,
    });
  }

  get mode(): 'webhook' | 'polling' {
    return this.s.TELEGRAM_MODE;
  }

  /**
   * Queues an update (one Redis round trip), or, from the webhook (`direct`: Telegram delivers it again
   * until it is answered), handles a message or a button at once when it can.
   */
  async accept(update: Update, direct = false): Promise<'queued' | 'duplicate' | 'ignored' | 'flooding' | 'handled'> {
    let body: TelegramBody | null;
    try {
      body = updateToBody(update);
    } catch {
      // Right secret, wrong shape: nothing to act on; not an error to retry.
      this.log.warn({ update_id: update.update_id }, 'malformed Telegram update ignored');
      return 'ignored';
    }
    if (!body) return 'ignored';
    // Only messages count towards the flood limit: a button (the emergency one too) or a block is never dropped.
    // A picture is read (seconds) in the inbox; a block is not a message.
    const from: DeliveryFrom =
      body.kind === 'message' ? { user: body.user, text: body.text, direct: direct && !body.picture }
      : body.kind === 'callback' ? { user: body.user, count: false, direct }
      : {};
    return this.inbox.ingest({ channel: TELEGRAM, id: String(update.update_id), body }, from);
  }

  routes(): Routes {
    return this.mode === 'webhook' ? { [`POST ${WEBHOOK_PATH}`]: this.webhook() } : {};
  }

  /** POST /webhooks/telegram, as a plain Node handler: the hot path of the service. */
  webhook(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    if (!this.s.TELEGRAM_WEBHOOK_SECRET) throw new Error('TELEGRAM_WEBHOOK_SECRET is needed for the webhook');
    const secretOk = secretChecker(this.s.TELEGRAM_WEBHOOK_SECRET);
    return async (req, res) => {
      if (!secretOk(req.headers['x-telegram-bot-api-secret-token'] as string | undefined)) return refuse(res, 401, REFUSED.secret);
      if (Number(req.headers['content-length'] ?? 0) > MAX_UPDATE_BYTES) return refuse(res, 413, REFUSED.tooLarge);
      let update: Update;
      try {
        const raw = await readBody(req, MAX_UPDATE_BYTES);
        if (raw === 'too_large') return refuse(res, 413, REFUSED.tooLarge);
        update = JSON.parse(raw.toString('utf8')) as Update;
      } catch {
        return answer(res, 400, REFUSED.notJson);
      }
      if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id) || update.update_id < 0) {
        return answer(res, 400, REFUSED.notUpdate);
      }
      try {
        answer(res, 200, ACCEPTED[await this.accept(update, true)]);
      } catch (e) {
        // Not stored: answer 503 so that Telegram delivers the update again later.
        this.log.error({ err: (e as Error).message }, 'could not queue a Telegram update');
        answer(res, 503, REFUSED.unavailable);
      }
    };
  }

  order(d: Delivery): number {
    return Number(d.id) || 0;
  }

  /**
   * A button press is answered (its spinner stops) once it is first taken: not again for a repeat
   * Telegram delivers (it refuses a second answer).
   */
  taken(d: Delivery): void {
    const b = d.body as TelegramBody;
    if (!b.callback) return;
    void this.direct.answerCallback(b.callback).then((r) => {
      if (!r.ok) this.log.warn({ err: r.reason }, 'answerCallbackQuery failed');
    });
  }

  async inbound(d: Delivery): Promise<Inbound | null> {
    const b = d.body as TelegramBody;
    const chat = String(b.chat);
    if (b.kind === 'blocked' || b.kind === 'unblocked') {
      try {
        if (b.kind === 'blocked') await this.recipients.markGone(TELEGRAM, chat);
        else await this.recipients.markReachable(TELEGRAM, chat);
      } catch (e) {
        if (isUnavailable(e)) throw new RetryLater('redis unavailable');
        throw e;
      }
      return null;
    }
    const inbound: Inbound = { channel: TELEGRAM, userId: chat, messageId: d.id, text: b.text, media: b.media, choice: b.choice, langHint: b.lang ?? null };
    if (b.mid !== undefined) inbound.ref = String(b.mid);
    if (b.picture) inbound.picture = telegramPicture(b.picture, this.s.TELEGRAM_API_ROOT, this.s.TELEGRAM_BOT_TOKEN!);
    return inbound;
  }

  render(message: Outbound): unknown[] {
    return renderTelegramReply(message);
  }

  send(to: string, message: string, hooks?: SendHooks): Promise<SendResult> {
    const chat = Number(to);
    if (!Number.isSafeInteger(chat)) return Promise.resolve({ ok: false, kind: 'gone', reason: `not a Telegram chat id: ${to.slice(0, 20)}` });
    if (message === CLEAR_CHAT) return this.clear(to, chat);
    if (message.startsWith(MEDIA_JSON_START)) {
      let msg: TelegramMediaMessage;
      try {
        msg = JSON.parse(message) as TelegramMediaMessage;
      } catch {
        return Promise.resolve({ ok: false, kind: 'permanent', reason: 'not a Telegram media message (JSON)' });
      }
      return this.media.send(chat, msg, hooks);
    }
    const tracked = message.startsWith(TRACKED);
    // Its id is kept (for the exit word): sent in safety mode, or part of an urgent conversation.
    const keep = tracked || message.includes(PROTECTED);
    const sent = this.api.sendJson(chat, tracked ? `{${message.slice(TRACKED.length)}` : message, hooks, keep);
    if (!keep) return sent;
    // Safety mode: its id is kept, to delete it on the exit word. Not kept (Redis away): it stays.
    return sent.then(async (r) => {
      if (r.ok && r.ref) await this.recipients.keepTrail(TELEGRAM, to, [r.ref]).catch((e: Error) => this.log.warn({ err: e.message }, 'could not keep a message id for the exit word'));
      return r;
    });
  }

  /**
   * The exit word: deletes the messages of the conversation kept since safety mode began (the bot's
   * and the person's; Telegram lets a bot delete both in a private chat, for 48 hours), newest first,
   * in batches of 100 (ids Telegram cannot find are skipped by it). A batch Telegram refuses as a whole
   * is tried one message at a time, so one it will not delete does not keep the others. Each batch's ids
   * are forgotten once dealt with; a failure that may pass leaves the rest for the next try.
   */
  private async clear(to: string, chat: number): Promise<SendResult> {
    let ids: string[];
    try {
      ids = await this.recipients.trailOf(TELEGRAM, to);
    } catch (e) {
      return { ok: false, kind: 'transient', reason: `could not read the conversation's message ids: ${(e as Error).message}` };
    }
    const remove = async (method: 'deleteMessages' | 'deleteMessage', body: Record<string, unknown>): Promise<SendResult> => {
      const r = await this.api.call(method, JSON.stringify({ chat_id: chat, ...body }), 'application/json');
      return 'error' in r ? { ok: false, kind: 'transient', reason: r.error } : classify(r.status, r.json);
    };
    for (let i = 0; i < ids.length; i += DELETE_BATCH) {
      const batch = ids.slice(i, i + DELETE_BATCH);
      const result = await remove('deleteMessages', { message_ids: batch.map(Number) });
      if (!result.ok && result.kind !== 'permanent') return result;
      if (!result.ok) {
        for (const id of batch) {
          const one = await remove('deleteMessage', { message_id: Number(id) });
          // Too old or already gone: nothing more can be done about that one.
          if (!one.ok && one.kind !== 'permanent') return one;
        }
      }
      await this.recipients.dropTrail(TELEGRAM, to, batch).catch(() => undefined);
    }
    return { ok: true };
  }

  mediaProblem(media: MediaRef): string | null {
    return telegramMediaProblem(media);
  }

  async notify(to: string, text: string): Promise<boolean> {
    const results = await Promise.all(renderTelegram({ text }).map((m) => this.direct.sendMessage(Number(to), m)));
    return results.every((r) => r.ok);
  }

  /** Long polling (no public URL needed): updates go through the same inbox as webhook ones. */
  async start(): Promise<void> {
    if (this.mode !== 'polling') return;
    const { Telegraf } = await import('telegraf');
    const bot = new Telegraf(this.s.TELEGRAM_BOT_TOKEN!, { telegram: { apiRoot: this.s.TELEGRAM_API_ROOT, agent: keepAliveAgent(this.s.TELEGRAM_API_ROOT) } });
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

  /** Stops polling (no more updates come in this way). */
  stop(): void {
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

  health(): Record<string, unknown> {
    return { mode: this.mode };
  }
}

/** The ports Telegram posts webhooks to (its setWebhook documentation). */
const WEBHOOK_PORTS = ['443', '80', '88', '8443'];

async function setWebhookCommand(args: string[], s: TelegramSettings): Promise<string> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, drop: { type: 'boolean' } } });
  if (!values.url || !/^https:\/\/[^/]+\/.*webhooks\/telegram$/.test(values.url)) {
    throw new Error(`--url must be the public https address of ${WEBHOOK_PATH}, e.g. --url https://waspada.example.org${WEBHOOK_PATH}`);
  }
  // Telegram refuses any other port (setWebhook: "bad webhook"): say so before asking it.
  const port = new URL(values.url).port;
  if (port && !WEBHOOK_PORTS.includes(port)) throw new Error(`Telegram posts webhooks only to ports ${WEBHOOK_PORTS.join(', ')} (the URL has ${port}): serve it behind the proxy on 443`);
  if (!s.TELEGRAM_BOT_TOKEN || !s.TELEGRAM_WEBHOOK_SECRET) throw new Error('TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set');
  const telegram = await telegramClient(s.TELEGRAM_BOT_TOKEN, s.TELEGRAM_API_ROOT);
  await telegram.setWebhook(values.url, {
    secret_token: s.TELEGRAM_WEBHOOK_SECRET,
    allowed_updates: [...ALLOWED_UPDATES],
    max_connections: 40,
    drop_pending_updates: values.drop ?? false,
  });
  const info = await telegram.getWebhookInfo();
  return `webhook set: ${info.url} (pending updates: ${info.pending_update_count})`;
}

export const telegram: ChannelModule<TelegramSettings> = {
  name: TELEGRAM,
  settings: SETTINGS,
  signals: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'],
  missing(s) {
    const out: string[] = [];
    if (!s.TELEGRAM_BOT_TOKEN) out.push('TELEGRAM_BOT_TOKEN: needed to serve Telegram');
    if (s.TELEGRAM_MODE === 'webhook' && !s.TELEGRAM_WEBHOOK_SECRET) out.push('TELEGRAM_WEBHOOK_SECRET: needed in webhook mode (set TELEGRAM_MODE=polling to poll instead)');
    return out;
  },
  userId: /^\d{1,15}$/,
  create: (deps) => new TelegramChannel(deps),
  commands: {
    'telegram:set-webhook': { usage: '--url https://<host>/webhooks/telegram [--drop]', run: setWebhookCommand },
  },
};
