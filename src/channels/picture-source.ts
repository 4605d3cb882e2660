// A picture a person sent, as every channel hands it to the conversation (src/conversation/picture.ts):
// the channel says how to fetch its own; this wraps that in what all of them share. What the platform
// says of the picture before any download decides first (over the limit: 'too_large', a type Waspada
// does not read: 'unsupported', neither fetched); every failure comes out as a PictureProblem; the
// channel's secrets (a bot token, an access token) never appear in a message; and what came back is
// measured again.
import { PictureProblem, readCapped, type PictureSource } from '../conversation/picture.js';

/** The types Waspada reads (by what the platform says; the bytes decide in the end). */
const READABLE = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/pjpeg', 'image/webp']);

/** Whether Waspada reads pictures of this type (PNG, JPEG, WebP). */
export const readableType = (mime: string): boolean => READABLE.has(mime);

/** A MIME type as platforms write it, without parameters, lower case: `image/jpeg; x=y` → `image/jpeg`. */
export function mimeType(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.split(';')[0]!.trim().toLowerCase();
  return /^[a-z]{1,20}\/[a-z0-9][a-z0-9.+-]{0,60}$/.test(t) ? t : undefined;
}

/** A picture's type as the platform says it: `image/…`, else nothing. */
export const imageType = (v: unknown): string | undefined => {
  const t = mimeType(v);
  return t?.startsWith('image/') ? t : undefined;
};

/** A size in bytes as a platform says it (a number, or digits in a string): else nothing. */
export function byteCount(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * One request to a platform's API on the way to a picture (where it is, how big): its status and parsed
 * JSON answer (null when the answer is not JSON). A network failure is a PictureProblem 'unavailable'
 * naming `what`.
 */
export async function askJson(what: string, url: string, init: RequestInit): Promise<{ status: number; ok: boolean; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new PictureProblem('unavailable', `${what} failed: ${(e as Error).message}`);
  }
  let json: unknown = null;
  try {
    // A platform's answer here is a few hundred bytes; more is not read (a proxy's page, or worse).
    json = JSON.parse((await readCapped(res, ANSWER_MAX_BYTES))?.toString('utf8') ?? 'null');
  } catch {
    /* not JSON: a proxy in between */
  }
  return { status: res.status, ok: res.ok, json };
}

/** Most bytes of a platform's JSON answer read. */
const ANSWER_MAX_BYTES = 64 * 1024;

export const notReadable = (mime: string) => new PictureProblem('unsupported', `${mime} is not PNG, JPEG or WebP`);
export const overLimit = (bytes: number, max: number) => new PictureProblem('too_large', `${bytes} bytes, over ${max}`);

export interface PlatformPicture {
  /** The size the platform says, before any download. */
  bytes?: number;
  /** The type the platform says. */
  mime?: string;
  /** Strings that must never appear in a message (tokens): replaced by `<secret>`. */
  secrets?: readonly string[];
  /** Gets the bytes; may throw anything (PictureProblem where it knows better than 'unavailable'). */
  fetch(maxBytes: number, signal?: AbortSignal): Promise<Buffer>;
}

/** A channel's picture as the conversation takes it. */
export function pictureSource(p: PlatformPicture): PictureSource {
  const hide = (s: string) => (p.secrets ?? []).reduce((out, secret) => (secret ? out.split(secret).join('<secret>') : out), s);
  const source: PictureSource = {
    async fetch(maxBytes, signal) {
      if (p.bytes !== undefined && p.bytes > maxBytes) throw overLimit(p.bytes, maxBytes);
      if (p.mime && !readableType(p.mime)) throw notReadable(p.mime);
      let bytes: Buffer;
      try {
        bytes = await p.fetch(maxBytes, signal);
      } catch (e) {
        if (e instanceof PictureProblem) throw new PictureProblem(e.kind, hide(e.message));
        throw new PictureProblem('unavailable', hide(e instanceof Error ? e.message : String(e)));
      }
      if (bytes.length > maxBytes) throw overLimit(bytes.length, maxBytes);
      return bytes;
    },
  };
  if (p.bytes !== undefined) source.bytes = p.bytes;
  if (p.mime !== undefined) source.mime = p.mime;
  return source;
}
