// Telegram: campaign pictures and short videos. What Telegram takes (its limits), a reply with a file
// as Bot API messages (sendPhoto / sendVideo, the text as the caption), and sending them: the first
// send of a file uploads its bytes (multipart/form-data) and keeps the file_id Telegram gives back, in
// Redis without expiry (Telegram's file_ids do not expire); every later send, from any process, names
// the file by that id. Within a process, sends of a file whose upload is under way wait for it.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import type { MediaRef } from '../engine/types.js';
import type { Logger } from '../log.js';
import { MEDIA_TTL_S, type MediaStore } from '../store/media.js';
import type { SendHooks, SendResult } from './port.js';
import type { TelegramMessage } from './telegram.js';

// Telegram's limits, from the Bot API's reference, https://core.telegram.org/bots/api#sendphoto
// ("The photo must be at most 10 MB in size. The photo's width and height must not exceed 10000 in
// total. Width and height ratio must be at most 20."), #sendvideo ("Telegram clients support MPEG4
// videos ... Bots can currently send video files of up to 50 MB in size"), #sending-files ("Post the
// file using multipart/form-data ... 10 MB max size for photos, 50 MB for other files") and the
// caption ("0-1024 characters after entities parsing"). Read in copies of that page (tdlib's
// inputMessagePhoto says the same of photos). MB as 2^20 bytes, as the Bot API server counts them.
export const MAX_CAPTION = 1024;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTO_SIDES = 10_000;
export const MAX_PHOTO_RATIO = 20;
export const MAX_VIDEO_BYTES = 50 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);
const VIDEO_TYPES = new Set(['video/mp4']);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Why Telegram cannot take this file as a photo or video, or null when it can. */
export function telegramMediaProblem(m: MediaRef): string | null {
  if (m.kind === 'image') {
    if (!PHOTO_TYPES.has(m.mime)) return `Telegram takes pictures as JPEG or PNG, not ${m.mime}`;
    if (m.bytes > MAX_PHOTO_BYTES) return `the picture has ${mb(m.bytes)}; Telegram takes pictures of at most 10 MB`;
    if (m.width && m.height) {
      if (m.width + m.height > MAX_PHOTO_SIDES) {
        return `the picture is ${m.width}×${m.height} pixels; Telegram takes pictures whose width and height add up to at most ${MAX_PHOTO_SIDES}`;
      }
      if (Math.max(m.width / m.height, m.height / m.width) > MAX_PHOTO_RATIO) {
        return `the picture is ${m.width}×${m.height} pixels; Telegram takes pictures at most ${MAX_PHOTO_RATIO} times as wide as high or as high as wide`;
      }
    }
    return null;
  }
  if (m.kind === 'video') {
    if (!VIDEO_TYPES.has(m.mime)) return `Telegram takes videos as MP4, not ${m.mime}`;
    if (m.bytes > MAX_VIDEO_BYTES) return `the video has ${mb(m.bytes)}; Telegram takes videos of at most 50 MB`;
    return null;
  }
  return `Telegram cannot send a file of kind ${String((m as { kind?: unknown }).kind)}`;
}

/**
 * A picture or video as the outbox keeps it: the file by its MediaRef (the bytes stay in Redis, in
 * MediaStore), the caption as escaped HTML. `media` comes first: send() tells these from text
 * messages by the start of their JSON.
 */
export interface TelegramMediaMessage {
  media: MediaRef;
  caption?: string;
  parse_mode?: 'HTML';
  reply_markup?: TelegramMessage['reply_markup'];
}

/** The start of a media message's JSON (JSON.stringify keeps the order of the fields). */
export const MEDIA_JSON_START = '{"media":';

/** Telegram's answer to a call, parsed; or why there was none (network, timeout). */
export type ApiExchange = { status: number; json: ApiAnswer | null } | { error: string };
export interface ApiAnswer {
  ok?: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}
/** One Bot API call with its body encoded; `hooks.written` runs just before the body's bytes leave. Never throws. */
export type BotApiCall = (method: string, body: string | Buffer, contentType: string, hooks?: SendHooks) => Promise<ApiExchange>;

/** A multipart/form-data body: text fields, then one file. */
export function multipart(fields: Record<string, string>, file: { field: string; filename: string; type: string; bytes: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----waspada-${randomBytes(16).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`, 'utf8'),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'video/mp4': 'mp4' };

/** What Telegram says when it no longer knows a file_id (or never did): the file is uploaded again. */
const UNKNOWN_FILE = /wrong (?:remote )?file id(?:entifier)?|FILE_REFERENCE_(?:EXPIRED|INVALID)|MEDIA_EMPTY/i;

const isMediaRef = (m: unknown): m is MediaRef => {
  const r = m as MediaRef | null;
  return !!r && typeof r === 'object' && typeof r.id === 'string' && /^[0-9a-f]{64}$/.test(r.id) && (r.kind === 'image' || r.kind === 'video') && typeof r.mime === 'string' && typeof r.bytes === 'number';
};

interface PhotoSize {
  file_id?: unknown;
  width?: unknown;
  height?: unknown;
  file_size?: unknown;
}

/** The file_id to send the file again by: of a photo, its largest size; of a video, the video's. */
export function fileIdOf(kind: MediaRef['kind'], result: unknown): string | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  if (kind === 'image') {
    if (!Array.isArray(r.photo)) return null;
    const area = (p: PhotoSize) => (Number(p.width) || 0) * (Number(p.height) || 0);
    let best: PhotoSize | null = null;
    for (const p of r.photo as PhotoSize[]) {
      if (!p || typeof p.file_id !== 'string') continue;
      if (!best || area(p) > area(best) || (area(p) === area(best) && (Number(p.file_size) || 0) > (Number(best.file_size) || 0))) best = p;
    }
    return best ? (best.file_id as string) : null;
  }
  // Only a video's id is kept for sendVideo: an MP4 Telegram took as an animation or a document has an
  // id of that kind, which sendVideo may refuse for every later recipient; such a file is uploaded each time.
  const f = r['video'] as { file_id?: unknown } | undefined;
  return f && typeof f.file_id === 'string' ? f.file_id : null;
}

/** An upload under way in this process: sends of the same file wait for it. */
interface Upload {
  done: Promise<void>;
  /** performance.now() when it began and when its answer came. */
  started: number;
  finished: number;
}

/** How many file_ids are remembered in memory (each is also in Redis). */
const KNOWN_FILES = 256;

/** Deletes the file_id only if it is still the one that failed (another process may have stored a new one). */
const FORGET = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface TelegramMediaDeps {
  call: BotApiCall;
  /** Telegram's error answers for the outbox, as for text (see classify in telegram.ts). */
  classify(status: number, answer: ApiAnswer | null): SendResult;
  store: MediaStore;
  redis: RedisClient;
  /** The channel's key base (keys.channel('telegram')); a file's id is kept under `<base>media:<id>`. */
  base: string;
  log: Logger;
}

const permanent = (reason: string): SendResult => ({ ok: false, kind: 'permanent', reason });
const transient = (reason: string): SendResult => ({ ok: false, kind: 'transient', reason });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends pictures and videos: by file_id when Telegram has the file, else by uploading it once. */
export class TelegramMediaSender {
  private readonly files = new Map<string, string>();
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly d: TelegramMediaDeps) {}

  /** Where a file's Telegram file_id is kept (no expiry). */
  key(id: string): string {
    return `${this.d.base}media:${id}`;
  }

  /** Sends one picture or video (a message of renderTelegramReply's) to a chat. Never throws. */
  async send(chat: number, msg: TelegramMediaMessage, hooks?: SendHooks): Promise<SendResult> {
    if (!msg || !isMediaRef(msg.media)) return permanent('not a Telegram media message (no usable MediaRef)');
    const problem = telegramMediaProblem(msg.media);
    if (problem) return permanent(problem);
    const id = msg.media.id;
    try {
      for (;;) {
        const fileId = await this.fileId(id);
        if (fileId) return await this.byFileId(chat, msg, fileId, hooks);
        // Checked after the await above, and the upload registers itself before its first await: one upload at a time.
        const upload = this.uploads.get(id);
        if (!upload) return await this.upload(chat, msg, hooks);
        await this.after(upload);
        // Uploaded: its file_id is known now. Failed (its chat was gone, Telegram was away): this send tries itself.
      }
    } catch (e) {
      // Redis could not be read (the file_id or the bytes): nothing was sent; try again later.
      return transient(`redis: ${(e as Error).message}`);
    }
  }

  /**
   * Waits for an upload of the file by another send. Then goes as long after the upload's answer as
   * it came after the upload began: the sends that waited keep the spacing the outbox gave them
   * instead of all leaving at once.
   */
  private async after(upload: Upload): Promise<void> {
    const came = performance.now() - upload.started;
    await upload.done;
    const wait = came - (performance.now() - upload.finished);
    if (wait > 1) await sleep(wait);
  }

  private async fileId(id: string): Promise<string | null> {
    const known = this.files.get(id);
    if (known) return known;
    const stored = await this.d.redis.get(this.key(id));
    if (stored) this.keep(id, stored);
    return stored;
  }

  private keep(id: string, fileId: string): void {
    this.files.delete(id);
    if (this.files.size >= KNOWN_FILES) this.files.delete(this.files.keys().next().value!);
    this.files.set(id, fileId);
  }

  private fields(chat: number, msg: TelegramMediaMessage): Record<string, string | number | boolean | object> {
    const out: Record<string, string | number | boolean | object> = { chat_id: chat };
    if (msg.caption) {
      out.caption = msg.caption;
      out.parse_mode = msg.parse_mode ?? 'HTML';
    }
    if (msg.reply_markup) out.reply_markup = msg.reply_markup;
    if (msg.media.kind === 'video') out.supports_streaming = true;
    return out;
  }

  private static method(m: MediaRef): { method: 'sendPhoto' | 'sendVideo'; field: 'photo' | 'video'; what: string } {
    return m.kind === 'image' ? { method: 'sendPhoto', field: 'photo', what: 'picture' } : { method: 'sendVideo', field: 'video', what: 'video' };
  }

  private async byFileId(chat: number, msg: TelegramMediaMessage, fileId: string, hooks?: SendHooks): Promise<SendResult> {
    const { method, field, what } = TelegramMediaSender.method(msg.media);
    const body = JSON.stringify({ ...this.fields(chat, msg), [field]: fileId });
    const r = await this.d.call(method, body, 'application/json', hooks);
    if ('error' in r) return transient(r.error);
    if (r.status === 200) return okOf(r.json);
    const description = r.json?.description ?? '';
    if ((r.json?.error_code ?? r.status) === 400 && UNKNOWN_FILE.test(description)) {
      await this.forget(msg.media.id, fileId);
      return transient(`400: ${description} (Telegram no longer knows the ${what}'s file_id: it is uploaded again on the next attempt)`);
    }
    return this.d.classify(r.status, r.json);
  }

  private async upload(chat: number, msg: TelegramMediaMessage, hooks?: SendHooks): Promise<SendResult> {
    const id = msg.media.id;
    let settle!: () => void;
    const upload: Upload = { done: new Promise<void>((r) => (settle = r)), started: performance.now(), finished: 0 };
    this.uploads.set(id, upload);
    try {
      const { method, field, what } = TelegramMediaSender.method(msg.media);
      const bytes = await this.d.store.get(id);
      if (!bytes) {
        return permanent(`the campaign's ${what} ${id.slice(0, 12)}… is no longer kept (files are kept ${MEDIA_TTL_S / 86_400} days after they were last stored): it cannot be sent`);
      }
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.fields(chat, msg))) fields[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      const { body, contentType } = multipart(fields, {
        field,
        filename: `${id.slice(0, 16)}.${EXTENSION[msg.media.mime] ?? 'bin'}`,
        type: msg.media.mime,
        bytes,
      });
      const r = await this.d.call(method, body, contentType, hooks);
      if ('error' in r) return transient(r.error);
      if (r.status !== 200) return this.d.classify(r.status, r.json);
      const fileId = fileIdOf(msg.media.kind, r.json?.result);
      if (fileId) await this.remember(id, fileId);
      else this.d.log.warn({ channel: 'telegram', media: id.slice(0, 12) }, `telegram: ${method} answered without a file_id; the file will be uploaded again`);
      return okOf(r.json);
    } finally {
      upload.finished = performance.now();
      this.uploads.delete(id);
      settle();
    }
  }

  /** Keeps a file_id (memory, then Redis without expiry). The message went out either way: a failure here is logged only. */
  private async remember(id: string, fileId: string): Promise<void> {
    this.keep(id, fileId);
    try {
      await this.d.redis.set(this.key(id), fileId);
    } catch (e) {
      this.d.log.warn({ channel: 'telegram', media: id.slice(0, 12), err: (e as Error).message }, 'telegram: could not keep a file_id in Redis; other processes will upload the file again');
    }
  }

  private async forget(id: string, fileId: string): Promise<void> {
    if (this.files.get(id) === fileId) this.files.delete(id);
    try {
      await this.d.redis.eval(FORGET, 1, this.key(id), fileId);
    } catch (e) {
      this.d.log.warn({ channel: 'telegram', media: id.slice(0, 12), err: (e as Error).message }, 'telegram: could not forget a file_id Telegram refused');
    }
  }
}

function okOf(json: ApiAnswer | null): SendResult {
  const id = (json?.result as { message_id?: unknown } | undefined)?.message_id;
  return typeof id === 'number' ? { ok: true, ref: String(id) } : { ok: true };
}
