// A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api), for tests and
// benchmarks. Nothing on the test machines can reach Telegram, so this answers the way Telegram does:
//
//   POST|GET {apiRoot}/bot{token}/{method}    (also /bot{token}/test/{method}, telegraf's testEnv)
//   body: JSON, application/x-www-form-urlencoded or multipart/form-data (text fields), plus the query
//   string; method names are case-insensitive, as in Telegram.
//   answer: { ok: true, result, description? } or
//           { ok: false, error_code, description, parameters?: { retry_after } }, HTTP status = error_code.
//
// sendPhoto and sendVideo take an uploaded file (multipart/form-data; its size, type and, for a picture,
// its dimensions read from its first bytes are checked against the Bot API's limits) or a file_id the
// fake issued earlier; each chat's pictures and videos are recorded (`media`), and everything a chat
// got in order (`received`).
//
// Files people send the bot (`userPhoto`, `userDocument`: what a message's `photo` or `document` carries)
// are fetched as from Telegram: getFile gives a file_path (400 "Bad Request: invalid file_id" for an id
// it never issued, "Bad Request: file is too big" over the Bot API's 20 MB download limit), then
// GET {apiRoot}/file/bot{token}/{file_path} gives the bytes (401 with a wrong token, 404 for a path it
// never gave or one expired by `expireFilePaths`; `failNext('download', …)` as for a method); every
// download is recorded (`downloads`).
//
// Errors use Telegram's own wording ("Bad Request: message is too long", "Forbidden: bot was blocked by
// the user", "Too Many Requests: retry after N", "Conflict: ..."), so code that matches on descriptions
// is exercised. The parse_mode=HTML checker follows tdlib's parse_html (MessageEntity.cpp) and its error
// messages, with one deliberate difference: Telegram keeps a bare "&" that starts no entity as a literal
// character, the fake rejects it, because the Bot API docs require every &, < and > outside tags and
// entities to be escaped. It is the stricter of the two, so a renderer that passes here passes on Telegram.
//
// Built for benchmarks too: keep-alive connections, no per-request allocation beyond the parsed body,
// O(1) per-chat lookups, and per-chat send hooks (`onSend`) so a driver never polls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendContent, sizeOf, type FileContent } from './files.js';

export type FailSpec = { code: 429; retryAfter: number } | { code: 403 } | { code: 500 } | { code: 400; description: string };

export interface FakeCall {
  method: string;
  body: any;
  /** Arrival time, Date.now(). */
  at: number;
  status: number;
  /** Set when the call came back in a webhook response body instead of over HTTP. */
  via?: 'webhook-reply';
}

export interface FakeWebhook {
  url: string;
  secret?: string;
}

export interface FakeTelegramOptions {
  token?: string;
  /** Messages per second one chat may receive; default unlimited. Over it: 429 with retry_after. */
  perChatPerSecond?: number;
  /** Messages per second over all chats; default unlimited. */
  globalPerSecond?: number;
  /**
   * Strict limits, as the Bot API FAQ states them: never more than `globalPerSecond` messages in any
   * one second, and at least 1/perChatPerSecond seconds between two messages to one chat (no burst).
   * Default: token buckets that allow a burst of one second's worth.
   */
  strict?: boolean;
}

export type SendListener = (body: any, message: TgMessage) => void;

/** A picture or video a chat was sent. */
export interface FakeMediaSend {
  kind: 'photo' | 'video';
  /** The caption as the person sees it (after parse_mode), if any. */
  caption?: string;
  /** Uploaded with the request (multipart/form-data) or named by a file_id issued before. */
  via: 'upload' | 'file_id';
  /** The file_id it went by: the one named, or of an upload the one issued (the largest photo size's, or the video's). */
  file_id: string;
  /** Of an upload: the file's name, content type and size in bytes. */
  filename?: string;
  contentType?: string;
  size?: number;
  message_id: number;
  reply_markup?: unknown;
  at: number;
}

export interface TgPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}
export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type: string;
  file_size: number;
}
/** A download of a file a person sent. */
export interface FakeDownload {
  path: string;
  /** The file it was, when the path was one getFile gave. */
  file_id?: string;
  status: number;
  /** Bytes sent. */
  bytes: number;
}

/** One message a chat received, text or media, in order. */
export type FakeReceived = { kind: 'text'; text: string } | FakeMediaSend;

export interface FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  /** Every request, in arrival order of its answer (a long poll is recorded when it is answered). */
  readonly calls: FakeCall[];
  /** Successful sendMessage bodies (reply_markup parsed), optionally of one chat, in arrival order. */
  sent(chatId?: number | string): any[];
  /** Pictures and videos sent successfully (sendPhoto, sendVideo), optionally to one chat, in order. */
  media(chatId?: number | string): FakeMediaSend[];
  /** Everything one chat received (texts and media), in order. */
  received(chatId: number | string): FakeReceived[];
  /** Message ids deleted in a chat by deleteMessage(s), in order (ids the fake did not know are there too: Telegram skips them). */
  deleted(chatId: number | string): number[];
  /** This message cannot be deleted (too old, say): deleteMessage of it, and deleteMessages with it among others, answer 400. */
  undeletable(chatId: number | string, messageId: number): void;
  /** Forgets every file_id issued: sending by one of them then fails as with an unknown file_id. */
  forgetFiles(): void;
  /**
   * A photo a person sent: one PhotoSize per file given (its width, height and bytes, or only a size for
   * a big file whose bytes are made up when downloaded), as a message's `photo` carries them.
   */
  userPhoto(sizes: { width: number; height: number; bytes: FileContent }[]): TgPhotoSize[];
  /** A file a person sent (an image sent as a file), as a message's `document` carries it. */
  userDocument(bytes: FileContent, mime_type: string, file_name?: string): TgDocument;
  /** Downloads of files people sent (GET /file/bot…/…), in order, whatever their answer. */
  readonly downloads: FakeDownload[];
  /** Every file_path given by getFile so far stops working (404), as Telegram's do after an hour. */
  expireFilePaths(): void;
  /** Whether getFile says the file's size (File.file_size is optional in the Bot API); default yes. */
  fileSizes: boolean;
  /** Resolves once pred() is true; re-checks after every call and every 20 ms. Rejects after timeoutMs. */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  /** Calls cb synchronously for every successful sendMessage (not media) to chatId; returns an unsubscribe function. */
  onSend(chatId: number | string, cb: SendListener): () => void;
  /** The next n calls of `method` fail with err (queued after earlier failNext calls for the same method). */
  failNext(method: string, n: number, err: FailSpec): void;
  /** Every call of `method` in the next `ms` milliseconds fails with err (a 429 storm, an outage). */
  failFor(method: string, ms: number, err: FailSpec): void;
  /** The next n calls of `method` are carried out at once, but answered only after `ms` (a slow Bot API). */
  delayNext(method: string, n: number, ms: number): void;
  /** sendMessage / sendChatAction / edits to chatId answer 403 "Forbidden: bot was blocked by the user". */
  blockChat(chatId: number | string): void;
  unblockChat(chatId: number | string): void;
  /** Queues an update for getUpdates (or posts it to the webhook when one is set); returns its update_id. */
  pushUpdate(update: object): number;
  /** The webhook set by setWebhook, or null. */
  readonly webhook: FakeWebhook | null;
  /** TCP connections accepted so far: with keep-alive clients it stays near their concurrency. */
  readonly connectionsAccepted: number;
  /** Webhook deliveries made for pushUpdate while a webhook was set. */
  readonly deliveries: { update_id: number; status: number; error?: string }[];
  /**
   * Performs a method call that a bot returned in its webhook response body ({ method, ...params }),
   * as Telegram does. Returns the answer it would have had over HTTP; undefined when body has no method.
   */
  handleWebhookReply(body: unknown): { status: number; payload: TgAnswer } | undefined;
  /** Forgets calls, messages, failures, blocks, updates, webhook and rate buckets; ends pending long polls. */
  reset(): void;
  close(): Promise<void>;
}

export interface TgMessage {
  message_id: number;
  from: TgUser;
  chat: { id: number | string; type: string };
  date: number;
  text: string;
  entities?: TgEntity[];
  reply_markup?: unknown;
  edit_date?: number;
}
interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  [k: string]: unknown;
}
export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}
export type TgAnswer =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

type Answer = { status: number; payload: TgAnswer };

const DEFAULT_TOKEN = '123456789:AAF-waspada-fake-token-for-tests-only';
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
// The Bot API's limits on uploads (https://core.telegram.org/bots/api#sendphoto, #sending-files): photos
// at most 10 MB, width + height at most 10000, ratio at most 20; other files at most 50 MB. Over 10 MB a
// photo is refused with 400 PHOTO_SAVE_FILE_INVALID (Telegram's error for it), bad dimensions with 400
// PHOTO_INVALID_DIMENSIONS, and a request over 50 MB by the server in front with 413.
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** How much of an uploaded file is kept (enough to read a picture's dimensions); the rest is only counted. */
const FILE_HEAD_BYTES = 64 * 1024;
const CALLBACK_DATA_MAX_BYTES = 64;
// What a bot may download (https://core.telegram.org/bots/api#getfile): "bots can download files of up to
// 20MB in size"; over it getFile answers 400 "Bad Request: file is too big".
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

const ok = (result: unknown, description?: string): Answer => ({
  status: 200,
  payload: description === undefined ? { ok: true, result } : { ok: true, result, description },
});
const fail = (status: number, description: string, retryAfter?: number): Answer => ({
  status,
  payload:
    retryAfter === undefined
      ? { ok: false, error_code: status, description }
      : { ok: false, error_code: status, description, parameters: { retry_after: retryAfter } },
});
const badRequest = (what: string): Answer => fail(400, `Bad Request: ${what}`);
const tooMany = (retryAfter: number): Answer => fail(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
const FORBIDDEN_BLOCKED = 'Forbidden: bot was blocked by the user';

function failFromSpec(err: FailSpec): Answer {
  switch (err.code) {
    case 429:
      return tooMany(err.retryAfter);
    case 403:
      return fail(403, FORBIDDEN_BLOCKED);
    case 500:
      return fail(500, 'Internal Server Error');
    case 400:
      return fail(400, err.description);
  }
}

// ---------------------------------------------------------------------------------------------------
// parse_mode=HTML, after tdlib's parse_html
// ---------------------------------------------------------------------------------------------------

const HTML_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);
const ENTITY_TYPE: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
  code: 'code', pre: 'pre', blockquote: 'blockquote', a: 'text_link', 'tg-emoji': 'custom_emoji',
};
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9.\-]/.test(c);

class HtmlError extends Error {}

/** Decodes the entity starting at s[i] === '&'. Returns [char, nextIndex] or null (not an entity). */
function decodeEntity(s: string, i: number): [string, number] | null {
  let j = i + 1;
  if (s[j] === '#') {
    j++;
    let hex = false;
    if (s[j] === 'x' || s[j] === 'X') {
      hex = true;
      j++;
    }
    const start = j;
    while (j < s.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(s[j]!)) j++;
    if (j === start || j - start > 8) return null;
    const code = parseInt(s.slice(start, j), hex ? 16 : 10);
    if (!(code > 0 && code <= 0x10ffff)) return null;
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new HtmlError('Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units');
    }
    if (s[j] === ';') j++;
    return [String.fromCodePoint(code), j];
  }
  const start = j;
  while (j < s.length && /[A-Za-z]/.test(s[j]!)) j++;
  const ch = NAMED_ENTITIES[s.slice(start, j)];
  if (ch === undefined) return null;
  if (s[j] === ';') j++;
  return [ch, j];
}

/** Byte offset (UTF-8) of UTF-16 index i, as Telegram reports positions. */
const byteOffset = (s: string, i: number) => Buffer.byteLength(s.slice(0, i));

/** Parses Telegram HTML into plain text and entities, or throws HtmlError with Telegram's message. */
export function parseTelegramHtml(s: string): { text: string; entities: TgEntity[] } {
  let out = '';
  const entities: TgEntity[] = [];
  const nested: { tag: string; offset: number; arg: string; begin: number }[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (c === '&') {
      const decoded = decodeEntity(s, i);
      if (!decoded) {
        throw new HtmlError(
          `Unescaped "&" at byte offset ${byteOffset(s, i)}: write &amp; (Telegram would keep it; the fake, like the Bot API docs, requires the escape)`,
        );
      }
      out += decoded[0];
      i = decoded[1];
      continue;
    }
    if (c !== '<') {
      // Copy a run of ordinary characters at once.
      let j = i + 1;
      while (j < n && s[j] !== '<' && s[j] !== '&') j++;
      out += s.slice(i, j);
      i = j;
      continue;
    }
    const begin = i;
    i++;
    if (s[i] !== '/') {
      // Start tag.
      while (i < n && !isSpace(s[i]) && s[i] !== '>') i++;
      if (i >= n) throw new HtmlError(`Unclosed start tag at byte offset ${byteOffset(s, begin)}`);
      const tag = s.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) throw new HtmlError(`Unsupported start tag "${tag}" at byte offset ${byteOffset(s, begin)}`);
      const attrs: Record<string, string> = {};
      while (s[i] !== '>') {
        while (isSpace(s[i])) i++;
        if (i >= n) throw new HtmlError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(s, begin)}`);
        if (s[i] === '>') break;
        const attrBegin = i;
        while (i < n && !isSpace(s[i]) && s[i] !== '=' && s[i] !== '>') i++;
        const name = s.slice(attrBegin, i).toLowerCase();
        if (name === '') throw new HtmlError(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(s, begin)}`);
        while (isSpace(s[i])) i++;
        if (i >= n) throw new HtmlError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(s, begin)}`);
        if (tag === 'blockquote' && name === 'expandable' && s[i] !== '=') {
          attrs[name] = '';
          continue;
        }
        if (s[i] !== '=') {
          throw new HtmlError(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(s, begin)}`);
        }
        i++;
        while (isSpace(s[i])) i++;
        if (i >= n) throw new HtmlError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(s, begin)}`);
        let value = '';
        const q = s[i];
        if (q === '"' || q === "'") {
          const end = s.indexOf(q, i + 1);
          if (end < 0) throw new HtmlError(`Unclosed start tag at byte offset ${byteOffset(s, begin)}`);
          const raw = s.slice(i + 1, end);
          for (let k = 0; k < raw.length; ) {
            const d = raw[k] === '&' ? decodeEntity(raw, k) : null;
            if (d) {
              value += d[0];
              k = d[1];
            } else value += raw[k++];
          }
          i = end + 1;
        } else {
          const tokenBegin = i;
          while (isNameChar(s[i])) i++;
          if (i >= n || (!isSpace(s[i]) && s[i] !== '>')) {
            throw new HtmlError(`Unexpected end of name token at byte offset ${byteOffset(s, tokenBegin)}`);
          }
          value = s.slice(tokenBegin, i);
        }
        attrs[name] = value;
      }
      i++; // past '>'
      let arg = '';
      if (tag === 'a') arg = attrs.href ?? '';
      else if (tag === 'span') {
        if (attrs.class !== 'tg-spoiler') throw new HtmlError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(s, begin)}`);
      } else if (tag === 'code') arg = (attrs.class ?? '').startsWith('language-') ? attrs.class!.slice(9) : '';
      else if (tag === 'tg-emoji') {
        arg = attrs['emoji-id'] ?? '';
        if (!/^[0-9]+$/.test(arg)) throw new HtmlError('Invalid custom emoji identifier specified');
      } else if (tag === 'blockquote' && 'expandable' in attrs) arg = 'expandable';
      nested.push({ tag, offset: out.length, arg, begin });
      continue;
    }
    // End tag.
    if (nested.length === 0) throw new HtmlError(`Unexpected end tag at byte offset ${byteOffset(s, begin)}`);
    i++;
    const nameBegin = i;
    while (i < n && !isSpace(s[i]) && s[i] !== '>') i++;
    const endTag = s.slice(nameBegin, i).toLowerCase();
    while (isSpace(s[i])) i++;
    if (s[i] !== '>') throw new HtmlError(`Unclosed end tag at byte offset ${byteOffset(s, begin)}`);
    i++;
    const open = nested.pop()!;
    if (endTag !== '' && endTag !== open.tag) {
      throw new HtmlError(`Unmatched end tag at byte offset ${byteOffset(s, begin)}, expected "</${open.tag}>", found "</${endTag}>"`);
    }
    const length = out.length - open.offset;
    if (length > 0) {
      const e: TgEntity = { type: ENTITY_TYPE[open.tag]!, offset: open.offset, length };
      if (open.tag === 'a') {
        if (!open.arg) continue; // <a> without href is plain text
        e.url = open.arg;
      } else if (open.tag === 'code' && open.arg) e.language = open.arg;
      else if (open.tag === 'tg-emoji') e.custom_emoji_id = open.arg;
      else if (open.tag === 'blockquote' && open.arg) e.type = 'expandable_blockquote';
      entities.push(e);
    }
  }
  if (nested.length) throw new HtmlError(`Can't find end tag corresponding to start tag "${nested[nested.length - 1]!.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

// ---------------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------------

function parseMultipart(buf: Buffer, contentType: string): Record<string, unknown> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  const out: Record<string, unknown> = {};
  if (!boundary) return out;
  const text = buf.toString('latin1');
  for (const part of text.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (!name) continue;
    let body = part.slice(sep + 4);
    if (body.endsWith('\r\n')) body = body.slice(0, -2);
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim();
      const file: UploadedFile = { filename, size: body.length, head: Buffer.from(body.slice(0, FILE_HEAD_BYTES), 'latin1') };
      if (contentType) file.contentType = contentType;
      out[name] = file;
    } else out[name] = Buffer.from(body, 'latin1').toString('utf8');
  }
  return out;
}

/** A file part of a multipart body: its name, declared type, size and first bytes. */
interface UploadedFile {
  filename: string;
  size: number;
  contentType?: string;
  head: Buffer;
}
const isUpload = (v: unknown): v is UploadedFile => !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).head);

/** A picture's width and height from its first bytes (PNG's IHDR, JPEG's start of frame); null if it is neither. */
function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a && b.toString('latin1', 12, 16) === 'IHDR') {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    let i = 2;
    while (i + 9 < b.length && b[i] === 0xff) {
      const marker = b[i + 1]!;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      i += 2 + b.readUInt16BE(i + 2);
    }
    // A JPEG whose frame header is past the bytes kept: taken as Telegram takes most, at a common size.
    return { width: 1280, height: 720 };
  }
  return null;
}

/** The sizes Telegram keeps of a photo: its side scaled to 90, 320, 800, 1280 and 2560 where smaller, and the original up to 2560. */
function photoSizes(width: number, height: number, bytes: number): { width: number; height: number; file_size: number }[] {
  const side = Math.max(width, height, 1);
  const out: { width: number; height: number; file_size: number }[] = [];
  for (const cap of [90, 320, 800, 1280, 2560]) {
    const scale = Math.min(1, cap / side);
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    if (out.some((s) => s.width === w && s.height === h)) continue;
    out.push({ width: w, height: h, file_size: Math.max(1, Math.round(bytes * scale * scale)) });
    if (scale === 1) break;
  }
  return out;
}

class BodyError extends Error {}

function parseBody(buf: Buffer, contentType: string | undefined, query: string): Record<string, any> {
  const params: Record<string, any> = {};
  if (query) for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  if (buf.length === 0) return params;
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/json') || (ct === '' && buf[0] === 0x7b)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(buf.toString('utf8'));
    } catch {
      throw new BodyError("Bad Request: can't parse JSON encoded request body");
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
    return params;
  }
  if (ct.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(buf.toString('utf8'))) params[k] = v;
    return params;
  }
  if (ct.startsWith('multipart/form-data')) return Object.assign(params, parseMultipart(buf, ct));
  return params;
}

/** Form and query values arrive as strings; JSON-typed fields are JSON strings there. */
function jsonField(v: unknown): { value: unknown } | { error: true } {
  if (typeof v !== 'string') return { value: v };
  try {
    return { value: JSON.parse(v) };
  } catch {
    return { error: true };
  }
}
const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;
const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

// ---------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------

interface Bucket {
  tokens: number;
  last: number;
}
interface PendingPoll {
  limit: number;
  timer: NodeJS.Timeout;
  finish: (a: Answer) => void;
}
interface StoredMessage {
  text: string;
  markup: string;
  message: TgMessage;
}
interface IssuedFile {
  kind: 'photo' | 'video' | 'document';
  /** A file a person sent: its bytes (or only its size: the bytes are made up when downloaded). */
  content?: FileContent;
  file_unique_id?: string;
  ext?: string;
}

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

class FakeTelegramServer implements FakeTelegram {
  apiRoot = '';
  readonly token: string;
  readonly calls: FakeCall[] = [];
  readonly deliveries: { update_id: number; status: number; error?: string }[] = [];
  private readonly botUser: TgUser;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly perChat: number | undefined;
  private readonly global: number | undefined;
  private readonly sentAll: any[] = [];
  private readonly sentByChat = new Map<string, any[]>();
  private readonly mediaAll: FakeMediaSend[] = [];
  private readonly receivedByChat = new Map<string, FakeReceived[]>();
  /** file_ids this fake issued (each size of a photo has its own), and what they are. */
  private readonly files = new Map<string, IssuedFile>();
  private nextFileId = 1;
  readonly downloads: FakeDownload[] = [];
  /** file_paths getFile gave, and the file_id each is of. */
  private readonly filePaths = new Map<string, string>();
  private nextFilePath = 0;
  fileSizes = true;
  private readonly listeners = new Map<string, Set<SendListener>>();
  private readonly failures = new Map<string, { err: FailSpec; left: number }[]>();
  private readonly failUntil = new Map<string, { err: FailSpec; until: number }>();
  private readonly delays = new Map<string, { ms: number; left: number }[]>();
  private readonly strict: boolean;
  /** Strict mode: times of the last accepted messages overall (a ring of globalPerSecond entries). */
  private recent: number[] = [];
  private readonly blocked = new Set<string>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly deletedByChat = new Map<string, number[]>();
  private readonly kept = new Set<string>();
  private readonly chatBuckets = new Map<string, Bucket>();
  private globalBucket: Bucket | null = null;
  private updates: any[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private poll: PendingPoll | null = null;
  private hook: (FakeWebhook & { maxConnections: number; allowed?: unknown; lastError?: { date: number; message: string } }) | null = null;
  private delivering = false;
  private readonly waiters = new Set<() => void>();
  private waiterCheckScheduled = false;
  private closed = false;
  connectionsAccepted = 0;

  constructor(opts: FakeTelegramOptions) {
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.perChat = opts.perChatPerSecond;
    this.global = opts.globalPerSecond;
    this.strict = opts.strict ?? false;
    const id = Number(this.token.split(':')[0]);
    this.botUser = {
      id: Number.isSafeInteger(id) && id > 0 ? id : 123456789,
      is_bot: true,
      first_name: 'Waspada Test',
      username: 'waspada_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    this.server = createServer({ keepAlive: true }, (req, res) => this.onRequest(req, res));
    // Longer than any client's idle timeout, so a client never writes into a socket we are closing.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 0;
    this.server.on('connection', (s: Socket) => {
      s.setNoDelay(true);
      this.connectionsAccepted++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
  }

  // --- public API ---------------------------------------------------------------------------------

  get webhook(): FakeWebhook | null {
    if (!this.hook) return null;
    return this.hook.secret === undefined ? { url: this.hook.url } : { url: this.hook.url, secret: this.hook.secret };
  }

  deleted(chatId: number | string): number[] {
    return (this.deletedByChat.get(String(chatId)) ?? []).slice();
  }

  undeletable(chatId: number | string, messageId: number): void {
    this.kept.add(`${chatId}:${messageId}`);
  }

  /** Deletes the messages, or refuses all of them (400) when one cannot be deleted. */
  private remove(chat: { key: string }, ids: number[]): Answer {
    if (this.blocked.has(chat.key)) return fail(403, FORBIDDEN_BLOCKED);
    if (ids.some((id) => this.kept.has(`${chat.key}:${id}`))) return badRequest("message can't be deleted");
    let list = this.deletedByChat.get(chat.key);
    if (!list) this.deletedByChat.set(chat.key, (list = []));
    for (const id of ids) {
      this.messages.delete(`${chat.key}:${id}`);
      list.push(id);
    }
    return ok(true);
  }

  sent(chatId?: number | string): any[] {
    if (chatId === undefined) return this.sentAll.slice();
    return (this.sentByChat.get(String(chatId)) ?? []).slice();
  }

  media(chatId?: number | string): FakeMediaSend[] {
    if (chatId === undefined) return this.mediaAll.slice();
    return (this.receivedByChat.get(String(chatId)) ?? []).filter((r): r is FakeMediaSend => r.kind !== 'text');
  }

  received(chatId: number | string): FakeReceived[] {
    return (this.receivedByChat.get(String(chatId)) ?? []).slice();
  }

  forgetFiles(): void {
    this.files.clear();
  }

  userPhoto(sizes: { width: number; height: number; bytes: FileContent }[]): TgPhotoSize[] {
    return sizes.map(({ width, height, bytes }) => {
      const { file_id, file_unique_id } = this.newFileId('photo', { content: bytes, ext: 'jpg' });
      return { file_id, file_unique_id, width, height, file_size: sizeOf(bytes) };
    });
  }

  userDocument(bytes: FileContent, mime_type: string, file_name?: string): TgDocument {
    const ext = /^image\/(png|jpeg|webp|gif)$/.exec(mime_type)?.[1]?.replace('jpeg', 'jpg') ?? 'bin';
    const { file_id, file_unique_id } = this.newFileId('document', { content: bytes, ext });
    return { file_id, file_unique_id, ...(file_name ? { file_name } : {}), mime_type, file_size: sizeOf(bytes) };
  }

  expireFilePaths(): void {
    this.filePaths.clear();
  }

  onSend(chatId: number | string, cb: SendListener): () => void {
    const key = String(chatId);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(cb);
    return () => {
      const s = this.listeners.get(key);
      if (!s) return;
      s.delete(cb);
      if (s.size === 0) this.listeners.delete(key);
    };
  }

  waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        let done = false;
        try {
          done = pred();
        } catch (e) {
          cleanup();
          reject(e);
          return;
        }
        if (done) {
          cleanup();
          resolve();
        }
      };
      const interval = setInterval(check, 20);
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.calls
          .slice(-5)
          .map((c) => `${c.method}→${c.status}`)
          .join(', ');
        reject(
          new Error(
            `FakeTelegram.waitFor: condition still false after ${Date.now() - started} ms (${pred.toString().slice(0, 120)}); ` +
              `${this.calls.length} calls, ${this.sentAll.length} messages sent; last calls: ${recent || 'none'}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearInterval(interval);
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  failNext(method: string, n: number, err: FailSpec): void {
    if (n <= 0) return;
    const key = method.toLowerCase();
    const q = this.failures.get(key) ?? [];
    q.push({ err, left: n });
    this.failures.set(key, q);
  }

  failFor(method: string, ms: number, err: FailSpec): void {
    this.failUntil.set(method.toLowerCase(), { err, until: Date.now() + ms });
  }

  delayNext(method: string, n: number, ms: number): void {
    if (n <= 0) return;
    const key = method.toLowerCase();
    const q = this.delays.get(key) ?? [];
    q.push({ ms, left: n });
    this.delays.set(key, q);
  }

  blockChat(chatId: number | string): void {
    this.blocked.add(String(chatId));
  }

  unblockChat(chatId: number | string): void {
    this.blocked.delete(String(chatId));
  }

  pushUpdate(update: object): number {
    const u: any = { ...update };
    if (typeof u.update_id !== 'number') u.update_id = this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, u.update_id + 1);
    this.updates.push(u);
    if (this.hook) void this.deliverWebhook();
    else if (this.poll) this.answerPoll();
    return u.update_id as number;
  }

  handleWebhookReply(body: unknown): Answer | undefined {
    if (!body || typeof body !== 'object' || typeof (body as any).method !== 'string') return undefined;
    const { method, ...params } = body as Record<string, any>;
    const name = method as string;
    const at = Date.now();
    const handler = this.handlers[name.toLowerCase()];
    const answer = !handler ? fail(404, 'Not Found') : this.injected(name) ?? (handler.call(this, params) as Answer);
    this.record({ method: handler ? this.canonical(name) : name, body: params, at, status: answer.status, via: 'webhook-reply' });
    return answer;
  }

  reset(): void {
    this.calls.length = 0;
    this.deliveries.length = 0;
    this.sentAll.length = 0;
    this.sentByChat.clear();
    this.mediaAll.length = 0;
    this.receivedByChat.clear();
    this.files.clear();
    this.filePaths.clear();
    this.downloads.length = 0;
    this.fileSizes = true;
    this.failures.clear();
    this.failUntil.clear();
    this.delays.clear();
    this.recent = [];
    this.blocked.clear();
    this.messages.clear();
    this.chatBuckets.clear();
    this.globalBucket = null;
    this.updates = [];
    this.hook = null;
    if (this.poll) {
      const p = this.poll;
      this.poll = null;
      clearTimeout(p.timer);
      p.finish(ok([]));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poll) {
      const p = this.poll;
      this.poll = null;
      clearTimeout(p.timer);
      p.finish(ok([]));
    }
    for (const check of this.waiters) check();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 50).unref();
    });
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const query = q < 0 ? '' : url.slice(q + 1);
      // /file/bot<token>/<file_path>: a file a person sent, by the path getFile gave.
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
      if (file && (req.method === 'GET' || req.method === 'HEAD')) {
        this.download(res, decodeURIComponent(file[1]!), file[2]!);
        return;
      }
      // /bot<token>/<method> or /bot<token>/test/<method>
      const m = /^\/bot([^/]+)\/(?:test\/)?([^/]*)$/.exec(path);
      if (!m) {
        this.respond(res, fail(404, 'Not Found'), { method: path, body: {}, at });
        return;
      }
      const token = decodeURIComponent(m[1]!);
      const name = m[2]!;
      let body: Record<string, any>;
      try {
        body = parseBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), req.headers['content-type'], query);
      } catch (e) {
        this.respond(res, fail(400, (e as Error).message), { method: name, body: {}, at });
        return;
      }
      if (token !== this.token) {
        this.respond(res, fail(401, 'Unauthorized'), { method: name, body, at });
        return;
      }
      const handler = this.handlers[name.toLowerCase()];
      if (!handler) {
        this.respond(res, fail(404, 'Not Found'), { method: name, body, at });
        return;
      }
      const method = this.canonical(name);
      const injected = this.injected(method);
      if (injected) {
        this.respond(res, injected, { method, body, at });
        return;
      }
      const result = handler.call(this, body, res);
      const delay = this.delayed(method);
      const answer = (a: Answer) => (delay ? setTimeout(() => this.respond(res, a, { method, body, at }), delay) : this.respond(res, a, { method, body, at }));
      if (result instanceof Promise) result.then(answer);
      else answer(result);
    });
  }

  private respond(res: ServerResponse, a: Answer, call: Omit<FakeCall, 'status'>): void {
    this.record({ ...call, status: a.status });
    if (res.writableEnded || res.destroyed) return;
    const json = JSON.stringify(a.payload);
    res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  private record(call: FakeCall): void {
    this.calls.push(call);
    if (this.waiters.size && !this.waiterCheckScheduled) {
      this.waiterCheckScheduled = true;
      setImmediate(() => {
        this.waiterCheckScheduled = false;
        for (const check of [...this.waiters]) check();
      });
    }
  }

  private delayed(method: string): number {
    const q = this.delays.get(method.toLowerCase());
    const head = q?.[0];
    if (!q || !head) return 0;
    if (--head.left <= 0) q.shift();
    if (q.length === 0) this.delays.delete(method.toLowerCase());
    return head.ms;
  }

  private injected(method: string): Answer | undefined {
    const storm = this.failUntil.get(method.toLowerCase());
    if (storm) {
      if (Date.now() < storm.until) return failFromSpec(storm.err);
      this.failUntil.delete(method.toLowerCase());
    }
    const q = this.failures.get(method.toLowerCase());
    const head = q?.[0];
    if (!q || !head) return undefined;
    if (--head.left <= 0) q.shift();
    if (q.length === 0) this.failures.delete(method.toLowerCase());
    return failFromSpec(head.err);
  }

  private canonical(name: string): string {
    return CANONICAL.get(name.toLowerCase()) ?? name;
  }

  // --- rate limits --------------------------------------------------------------------------------

  /** Takes one token from the chat's and the global bucket, or says how long to wait (seconds). */
  private rateLimit(chatKey: string): number | 0 {
    if (this.perChat === undefined && this.global === undefined) return 0;
    const now = performance.now();
    if (this.strict) return this.strictLimit(chatKey, now);
    const refill = (b: Bucket, rate: number) => {
      b.tokens = Math.min(rate, b.tokens + ((now - b.last) / 1000) * rate);
      b.last = now;
    };
    let chatBucket: Bucket | undefined;
    if (this.perChat !== undefined) {
      chatBucket = this.chatBuckets.get(chatKey);
      if (!chatBucket) this.chatBuckets.set(chatKey, (chatBucket = { tokens: this.perChat, last: now }));
      refill(chatBucket, this.perChat);
      if (chatBucket.tokens < 1) return Math.max(1, Math.ceil((1 - chatBucket.tokens) / this.perChat));
    }
    if (this.global !== undefined) {
      const g = (this.globalBucket ??= { tokens: this.global, last: now });
      refill(g, this.global);
      if (g.tokens < 1) return Math.max(1, Math.ceil((1 - g.tokens) / this.global));
      g.tokens -= 1;
    }
    if (chatBucket) chatBucket.tokens -= 1;
    return 0;
  }

  /** Strict mode: a sliding one-second window overall, a minimum spacing per chat. */
  private strictLimit(chatKey: string, now: number): number | 0 {
    let chatBucket: Bucket | undefined;
    if (this.perChat !== undefined) {
      chatBucket = this.chatBuckets.get(chatKey);
      // `last` is the time of the chat's last accepted message.
      if (chatBucket && now - chatBucket.last < 1000 / this.perChat) return 1;
    }
    if (this.global !== undefined) {
      const cap = Math.max(1, Math.floor(this.global));
      while (this.recent.length && now - this.recent[0]! >= 1000) this.recent.shift();
      if (this.recent.length >= cap) return 1;
      this.recent.push(now);
    }
    if (this.perChat !== undefined) this.chatBuckets.set(chatKey, { tokens: 0, last: now });
    return 0;
  }

  // --- validation helpers ---------------------------------------------------------------------------

  /** chat_id: an integer (or its string form) or an @username; returns the key or an error answer. */
  private chatKey(body: Record<string, any>): { key: string; id: number | string } | Answer {
    const raw = body.chat_id;
    if (raw === undefined || raw === null || raw === '') return badRequest('chat_id is empty');
    const n = num(raw);
    if (n !== undefined && Number.isInteger(n) && n !== 0) return { key: String(n), id: n };
    return badRequest('chat not found');
  }

  /** Validates text + parse_mode; returns the visible text and entities, or an error answer. */
  private messageText(body: Record<string, any>, field = 'text'): { text: string; entities?: TgEntity[] } | Answer {
    const raw = body[field];
    const text = raw === undefined || raw === null ? '' : String(raw);
    const mode = typeof body.parse_mode === 'string' ? body.parse_mode : '';
    let visible = text;
    let entities: TgEntity[] | undefined;
    if (mode.toLowerCase() === 'html') {
      try {
        ({ text: visible, entities } = parseTelegramHtml(text));
      } catch (e) {
        if (e instanceof HtmlError) return badRequest(`can't parse entities: ${e.message}`);
        throw e;
      }
    } else if (mode !== '' && !['markdown', 'markdownv2'].includes(mode.toLowerCase())) {
      return badRequest(`unsupported parse_mode`);
    }
    if (visible.trim() === '') return badRequest('message text is empty');
    let chars = 0;
    for (const _ of visible) if (++chars > MAX_TEXT) return badRequest('message is too long');
    return entities && entities.length ? { text: visible, entities } : { text: visible };
  }

  /** reply_markup: an object or its JSON string; inline_keyboard buttons checked like Telegram. */
  private replyMarkup(body: Record<string, any>): { markup: unknown } | Answer {
    if (body.reply_markup === undefined || body.reply_markup === null || body.reply_markup === '') return { markup: undefined };
    const parsed = jsonField(body.reply_markup);
    if ('error' in parsed || typeof parsed.value !== 'object' || parsed.value === null) {
      return badRequest("can't parse reply keyboard markup JSON object");
    }
    const markup = parsed.value as Record<string, unknown>;
    body.reply_markup = markup;
    if ('inline_keyboard' in markup) {
      const rows = markup.inline_keyboard;
      if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
        return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      }
      for (const row of rows as unknown[][]) {
        for (const button of row) {
          if (!button || typeof button !== 'object') return badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
          const b = button as Record<string, unknown>;
          if (typeof b.text !== 'string') return badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
          if (b.text.trim() === '') return badRequest('BUTTON_TEXT_INVALID');
          if ('callback_data' in b) {
            if (typeof b.callback_data !== 'string') return badRequest(`can't parse inline keyboard button: Field "callback_data" must be of type String`);
            const bytes = Buffer.byteLength(b.callback_data);
            if (bytes < 1 || bytes > CALLBACK_DATA_MAX_BYTES) return badRequest('BUTTON_DATA_INVALID');
          } else if (
            !['url', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'web_app', 'copy_text'].some(
              (k) => k in b,
            )
          ) {
            return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
          } else if ('url' in b && !/^(https?|tg):\/\//i.test(String(b.url))) {
            return badRequest('BUTTON_URL_INVALID');
          }
        }
      }
    }
    return { markup };
  }

  // --- methods ------------------------------------------------------------------------------------

  private readonly handlers: Record<string, (this: FakeTelegramServer, body: Record<string, any>, res?: ServerResponse) => Answer | Promise<Answer>> = {
    getme() {
      return ok(this.botUser);
    },

    getfile(body) {
      const id = body.file_id;
      if (id === undefined || id === null || id === '') return badRequest('file_id not specified');
      const file = typeof id === 'string' ? this.files.get(id) : undefined;
      if (!file) return badRequest('invalid file_id');
      const size = file.content === undefined ? undefined : sizeOf(file.content);
      if (size !== undefined && size > MAX_DOWNLOAD_BYTES) return badRequest('file is too big');
      const result: Record<string, unknown> = { file_id: id, file_unique_id: file.file_unique_id ?? 'AQADfake' };
      if (size !== undefined) {
        if (this.fileSizes) result.file_size = size;
        const path = `${{ photo: 'photos', video: 'videos', document: 'documents' }[file.kind]}/file_${this.nextFilePath++}.${file.ext ?? 'bin'}`;
        this.filePaths.set(path, id as string);
        result.file_path = path;
      }
      return ok(result);
    },

    sendmessage(body) {
      const chat = this.chatKey(body);
      if ('status' in chat) return chat;
      const text = this.messageText(body);
      if ('status' in text) return text;
      const markup = this.replyMarkup(body);
      if ('status' in markup) return markup;
      if (this.blocked.has(chat.key)) return fail(403, FORBIDDEN_BLOCKED);
      const wait = this.rateLimit(chat.key);
      if (wait) return tooMany(wait);
      const message: TgMessage = {
        message_id: this.nextMessageId++,
        from: this.botUser,
        chat: { id: chat.id, type: typeof chat.id === 'number' && chat.id < 0 ? 'supergroup' : 'private' },
        date: Math.floor(Date.now() / 1000),
        text: text.text,
      };
      if (text.entities) message.entities = text.entities;
      const rm = markup.markup as Record<string, unknown> | undefined;
      if (rm && 'inline_keyboard' in rm) message.reply_markup = { inline_keyboard: rm.inline_keyboard };
      this.messages.set(`${chat.key}:${message.message_id}`, { text: text.text, markup: JSON.stringify(message.reply_markup ?? null), message });
      this.sentAll.push(body);
      let list = this.sentByChat.get(chat.key);
      if (!list) this.sentByChat.set(chat.key, (list = []));
      list.push(body);
      this.receive(chat.key, { kind: 'text', text: text.text });
      const ls = this.listeners.get(chat.key);
      if (ls) for (const cb of [...ls]) cb(body, message);
      return ok(message);
    },

    sendphoto(body) {
      return this.sendMedia(body, 'photo');
    },

    sendvideo(body) {
      return this.sendMedia(body, 'video');
    },

    sendchataction(body) {
      const chat = this.chatKey(body);
      if ('status' in chat) return chat;
      if (!CHAT_ACTIONS.has(String(body.action ?? ''))) return badRequest('wrong parameter action in request');
      if (this.blocked.has(chat.key)) return fail(403, FORBIDDEN_BLOCKED);
      return ok(true);
    },

    answercallbackquery(body) {
      const id = body.callback_query_id;
      if (id === undefined || id === null || String(id) === '') return badRequest('query is too old and response timeout expired or query ID is invalid');
      if (body.text !== undefined && [...String(body.text)].length > 200) return badRequest('MESSAGE_TOO_LONG');
      return ok(true);
    },

    editmessagetext(body) {
      return this.edit(body, true);
    },

    // Bot API 7.0: 1 to 100 ids of one chat; ids that cannot be found (or deleted) are skipped.
    deletemessages(body) {
      const chat = this.chatKey(body);
      if ('status' in chat) return chat;
      const ids = Array.isArray(body.message_ids) ? (body.message_ids as unknown[]) : null;
      if (!ids || ids.length === 0) return badRequest('message identifiers are not specified');
      if (ids.length > 100) return badRequest('too many message identifiers specified');
      if (!ids.every((x) => Number.isSafeInteger(x) && (x as number) > 0)) return badRequest('message identifier is not specified');
      return this.remove(chat, ids as number[]);
    },

    deletemessage(body) {
      const chat = this.chatKey(body);
      if ('status' in chat) return chat;
      const id = num(body.message_id);
      if (id === undefined) return badRequest('message identifier is not specified');
      return this.remove(chat, [id]);
    },

    editmessagereplymarkup(body) {
      return this.edit(body, false);
    },

    setwebhook(body) {
      const url = String(body.url ?? '').trim();
      if (url === '') {
        const had = this.hook !== null;
        this.hook = null;
        return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return badRequest('bad webhook: Failed to resolve host: Name or service not known');
      }
      // Telegram demands https; the fake also takes http so tests can point it at a local server.
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      let secret: string | undefined;
      if (body.secret_token !== undefined && body.secret_token !== null && body.secret_token !== '') {
        secret = String(body.secret_token);
        if (secret.length > 256 || !/^[A-Za-z0-9_-]+$/.test(secret)) return badRequest('secret token contains unallowed characters');
      }
      const max = num(body.max_connections) ?? 40;
      if (max < 1 || max > 100) return badRequest('bad webhook: max_connections must be between 1 and 100');
      const allowed = jsonField(body.allowed_updates);
      if (truthy(body.drop_pending_updates)) this.updates = [];
      const same = this.hook?.url === url && this.hook.secret === secret;
      this.hook = { url, maxConnections: max, ...(secret !== undefined ? { secret } : {}), ...('value' in allowed && allowed.value !== undefined ? { allowed: allowed.value } : {}) };
      if (this.poll) {
        const p = this.poll;
        this.poll = null;
        clearTimeout(p.timer);
        p.finish(fail(409, 'Conflict: terminated by setWebhook request'));
      }
      if (this.updates.length) void this.deliverWebhook();
      return ok(true, same ? 'Webhook is already set' : 'Webhook was set');
    },

    deletewebhook(body) {
      const had = this.hook !== null;
      this.hook = null;
      if (truthy(body.drop_pending_updates)) this.updates = [];
      return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
    },

    getwebhookinfo() {
      const h = this.hook;
      const info: Record<string, unknown> = {
        url: h?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
      };
      if (h) {
        info.max_connections = h.maxConnections;
        if (h.allowed !== undefined) info.allowed_updates = h.allowed;
        if (h.lastError) {
          info.last_error_date = h.lastError.date;
          info.last_error_message = h.lastError.message;
        }
      }
      return ok(info);
    },

    getupdates(body, res) {
      if (this.hook) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      const offset = num(body.offset);
      if (offset !== undefined && offset !== 0) {
        if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
        else this.updates = this.updates.slice(offset);
      }
      let limit = num(body.limit) ?? 100;
      limit = Math.min(100, Math.max(1, Math.trunc(limit)));
      const timeout = Math.max(0, num(body.timeout) ?? 0);
      // A newer getUpdates ends the older one, as on Telegram.
      if (this.poll) {
        const p = this.poll;
        this.poll = null;
        clearTimeout(p.timer);
        p.finish(fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
      }
      if (this.updates.length || timeout === 0) return ok(this.updates.slice(0, limit));
      return new Promise<Answer>((resolve) => {
        const poll: PendingPoll = {
          limit,
          timer: setTimeout(() => {
            if (this.poll === poll) this.poll = null;
            resolve(ok([]));
          }, timeout * 1000),
          finish: resolve,
        };
        this.poll = poll;
        res?.on('close', () => {
          // The client went away (telegraf's stop() aborts its poll): forget the poll.
          if (this.poll === poll && !res.writableEnded) {
            this.poll = null;
            clearTimeout(poll.timer);
          }
        });
      });
    },
  };

  private receive(chatKey: string, r: FakeReceived): void {
    let list = this.receivedByChat.get(chatKey);
    if (!list) this.receivedByChat.set(chatKey, (list = []));
    list.push(r);
  }

  private newFileId(kind: IssuedFile['kind'], from: Omit<IssuedFile, 'kind'> = {}): { file_id: string; file_unique_id: string } {
    const n = this.nextFileId++;
    const tag = Buffer.from(`${kind}:${n}:${Math.random().toString(36).slice(2, 10)}`).toString('base64url');
    const file_id = `${{ photo: 'AgACAgQAAxkDAAI', video: 'BAACAgQAAxkDAAI', document: 'BQACAgQAAxkBAAI' }[kind]}${tag}`;
    const file_unique_id = `AQAD${n.toString(36)}`;
    this.files.set(file_id, { kind, file_unique_id, ...from });
    return { file_id, file_unique_id };
  }

  /** GET /file/bot<token>/<file_path>: the bytes of a file getFile gave the path of. */
  private download(res: ServerResponse, token: string, path: string): void {
    const answer = (status: number, body: FileContent, record: Omit<FakeDownload, 'status' | 'bytes'>) => {
      this.downloads.push({ ...record, status, bytes: sizeOf(body) });
      this.record({ method: 'download', body: { path }, at: Date.now(), status });
      const type = status === 200 ? 'application/octet-stream' : 'application/json';
      res.writeHead(status, { 'content-type': type, 'content-length': sizeOf(body) });
      sendContent(res, body);
    };
    const error = (status: number, description: string) => Buffer.from(JSON.stringify({ ok: false, error_code: status, description }));
    if (token !== this.token) return answer(401, error(401, 'Unauthorized'), { path });
    // failNext('download', …) / failFor('download', …): the file server fails as told.
    const injected = this.injected('download');
    if (injected) return answer(injected.status, Buffer.from(JSON.stringify(injected.payload)), { path });
    const fileId = this.filePaths.get(path);
    const file = fileId ? this.files.get(fileId) : undefined;
    if (!fileId || !file || file.content === undefined) return answer(404, error(404, 'Not Found'), { path });
    answer(200, file.content, { path, file_id: fileId });
  }

  /** Validates a caption (optional; parse_mode as for text; at most 1024 characters after parsing). */
  private caption(body: Record<string, any>): { text?: string; entities?: TgEntity[] } | Answer {
    if (body.caption === undefined || body.caption === null || body.caption === '') return {};
    const mode = typeof body.parse_mode === 'string' ? body.parse_mode : '';
    let text = String(body.caption);
    let entities: TgEntity[] | undefined;
    if (mode.toLowerCase() === 'html') {
      try {
        ({ text, entities } = parseTelegramHtml(text));
      } catch (e) {
        if (e instanceof HtmlError) return badRequest(`can't parse entities: ${e.message}`);
        throw e;
      }
    } else if (mode !== '' && !['markdown', 'markdownv2'].includes(mode.toLowerCase())) {
      return badRequest('unsupported parse_mode');
    }
    let chars = 0;
    for (const _ of text) if (++chars > MAX_CAPTION) return badRequest('message caption is too long');
    return entities && entities.length ? { text, entities } : { text };
  }

  /** sendPhoto / sendVideo: an uploaded file or a file_id issued before; same checks and limits as sendMessage. */
  private sendMedia(body: Record<string, any>, kind: 'photo' | 'video'): Answer {
    const chat = this.chatKey(body);
    if ('status' in chat) return chat;
    let file: unknown = body[kind];
    if (typeof file === 'string' && file.startsWith('attach://')) file = body[file.slice('attach://'.length)];
    if (file === undefined || file === null || file === '') return badRequest(`there is no ${kind} in the request`);
    let upload: UploadedFile | undefined;
    if (isUpload(file)) {
      upload = file;
      // The call is recorded without the file's bytes.
      body[kind] = { filename: upload.filename, size: upload.size, ...(upload.contentType ? { contentType: upload.contentType } : {}) };
      if (upload.size === 0) return badRequest('file must be non-empty');
      if (upload.size > MAX_UPLOAD_BYTES) return fail(413, 'Request Entity Too Large');
    } else if (typeof file !== 'string') {
      return badRequest(`wrong file identifier/HTTP URL specified`);
    } else {
      const issued = this.files.get(file);
      if (!issued) return badRequest('wrong file identifier/HTTP URL specified');
      if (issued.kind !== kind) return badRequest(`can't use file of type ${issued.kind === 'photo' ? 'Photo' : 'Video'} as ${kind === 'photo' ? 'Photo' : 'Video'}`);
    }
    let size: { width: number; height: number } | null = null;
    if (upload && kind === 'photo') {
      size = imageSize(upload.head);
      if (!size) return badRequest('IMAGE_PROCESS_FAILED');
      if (upload.size > MAX_PHOTO_BYTES) return badRequest('PHOTO_SAVE_FILE_INVALID');
      const { width, height } = size;
      if (width < 1 || height < 1 || width + height > 10_000 || Math.max(width / height, height / width) > 20) return badRequest('PHOTO_INVALID_DIMENSIONS');
    }
    const caption = this.caption(body);
    if ('status' in caption) return caption;
    const markup = this.replyMarkup(body);
    if ('status' in markup) return markup;
    if (this.blocked.has(chat.key)) return fail(403, FORBIDDEN_BLOCKED);
    const wait = this.rateLimit(chat.key);
    if (wait) return tooMany(wait);
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId++,
      from: this.botUser,
      chat: { id: chat.id, type: typeof chat.id === 'number' && chat.id < 0 ? 'supergroup' : 'private' },
      date: Math.floor(Date.now() / 1000),
    };
    let fileId: string;
    if (kind === 'photo') {
      // A file_id sends the photo again with new ids per size; an upload gets its sizes from its dimensions.
      const { width, height } = size ?? { width: 1280, height: 720 };
      const photo = photoSizes(width, height, upload?.size ?? 100_000).map((s) => ({ ...this.newFileId('photo'), ...s }));
      message.photo = photo;
      fileId = photo.at(-1)!.file_id;
    } else {
      const video = { ...this.newFileId('video'), width: 640, height: 360, duration: 10, mime_type: upload?.contentType ?? 'video/mp4', file_size: upload?.size ?? 1_000_000 };
      message.video = video;
      fileId = video.file_id;
    }
    if (caption.text !== undefined) message.caption = caption.text;
    if (caption.entities) message.caption_entities = caption.entities;
    const rm = markup.markup as Record<string, unknown> | undefined;
    if (rm && 'inline_keyboard' in rm) message.reply_markup = { inline_keyboard: rm.inline_keyboard };
    const sent: FakeMediaSend = { kind, via: upload ? 'upload' : 'file_id', file_id: upload ? fileId : (file as string), message_id: message.message_id as number, at: Date.now() };
    if (caption.text !== undefined) sent.caption = caption.text;
    if (upload) {
      sent.filename = upload.filename;
      sent.size = upload.size;
      if (upload.contentType) sent.contentType = upload.contentType;
    }
    if (message.reply_markup) sent.reply_markup = message.reply_markup;
    this.mediaAll.push(sent);
    this.receive(chat.key, sent);
    return ok(message);
  }

  private edit(body: Record<string, any>, withText: boolean): Answer {
    if (body.inline_message_id !== undefined) {
      if (withText) {
        const t = this.messageText(body);
        if ('status' in t) return t;
      }
      const m = this.replyMarkup(body);
      if ('status' in m) return m;
      return ok(true);
    }
    const chat = this.chatKey(body);
    if ('status' in chat) return chat;
    const messageId = num(body.message_id);
    if (messageId === undefined) return badRequest('message identifier is not specified');
    let text: { text: string; entities?: TgEntity[] } | undefined;
    if (withText) {
      const t = this.messageText(body);
      if ('status' in t) return t;
      text = t;
    }
    const markup = this.replyMarkup(body);
    if ('status' in markup) return markup;
    const stored = this.messages.get(`${chat.key}:${messageId}`);
    if (!stored) return badRequest('message to edit not found');
    if (this.blocked.has(chat.key)) return fail(403, FORBIDDEN_BLOCKED);
    const rm = markup.markup as Record<string, unknown> | undefined;
    const newMarkup = rm && 'inline_keyboard' in rm ? { inline_keyboard: rm.inline_keyboard } : undefined;
    const newText = text?.text ?? stored.text;
    const markupJson = JSON.stringify(newMarkup ?? null);
    if (newText === stored.text && markupJson === stored.markup) {
      return badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const wait = this.rateLimit(chat.key);
    if (wait) return tooMany(wait);
    const message: TgMessage = { ...stored.message, text: newText, edit_date: Math.floor(Date.now() / 1000) };
    if (text) {
      if (text.entities) message.entities = text.entities;
      else delete message.entities;
    }
    if (newMarkup) message.reply_markup = newMarkup;
    else delete message.reply_markup;
    this.messages.set(`${chat.key}:${messageId}`, { text: newText, markup: markupJson, message });
    return ok(message);
  }

  // --- long polling and webhook delivery ----------------------------------------------------------

  private answerPoll(): void {
    const p = this.poll;
    if (!p) return;
    this.poll = null;
    clearTimeout(p.timer);
    p.finish(ok(this.updates.slice(0, p.limit)));
  }

  /** Posts queued updates to the webhook one at a time, as Telegram does for one chat; retries thrice. */
  private async deliverWebhook(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      let attempts = 0;
      while (this.hook && this.updates.length && !this.closed) {
        const hook = this.hook;
        const update = this.updates[0];
        let status = 0;
        let error: string | undefined;
        try {
          const r = await fetch(hook.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}) },
            body: JSON.stringify(update),
          });
          status = r.status;
          const text = await r.text();
          if (r.ok && text && (r.headers.get('content-type') ?? '').includes('json')) {
            try {
              this.handleWebhookReply(JSON.parse(text));
            } catch {
              /* not a method call */
            }
          }
          if (!r.ok) error = `Wrong response from the webhook: ${r.status} ${r.statusText}`;
        } catch (e) {
          error = `Connection refused (${(e as Error).message})`;
        }
        this.deliveries.push(error ? { update_id: update.update_id, status, error } : { update_id: update.update_id, status });
        if (!error || ++attempts >= 3) {
          if (error && this.hook) this.hook.lastError = { date: Math.floor(Date.now() / 1000), message: error };
          if (this.updates[0] === update) this.updates.shift();
          attempts = 0;
        } else await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      this.delivering = false;
    }
  }
}

const CANONICAL = new Map(
  [
    'getMe', 'getFile', 'sendMessage', 'sendPhoto', 'sendVideo', 'sendChatAction', 'answerCallbackQuery', 'editMessageText', 'editMessageReplyMarkup',
    'deleteMessages', 'deleteMessage', 'setWebhook', 'deleteWebhook', 'getWebhookInfo', 'getUpdates',
  ].map((m) => [m.toLowerCase(), m]),
);

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(opts);
  await fake.listen();
  return fake;
}
