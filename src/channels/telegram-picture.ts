// Telegram: pictures people send the bot (a photo, or an image sent as a file), read as job offers.
// The inbox keeps only Telegram's file_id of the picture and what Telegram says of it; the bytes are
// fetched when the message is handled: getFile (through TELEGRAM_API_ROOT), then the download link
// `<root>/file/bot<token>/<file_path>`, into memory, capped. The token never appears in a message.
import { PICTURE_MAX_BYTES, PICTURE_MAX_PIXELS, PictureProblem, fetchCapped, type PictureSource } from '../conversation/picture.js';
import { askJson, byteCount, imageType, overLimit, pictureSource } from './picture-source.js';

/** A picture as the inbox keeps it: Telegram's file_id to fetch it by, and what Telegram said of it (a document's type; a photo has none). */
export interface TelegramPicture {
  file_id: string;
  file_size?: number;
  width?: number;
  height?: number;
  mime_type?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Telegram's file_ids: URL-safe base64, tens of characters (bounded, no separators). */
const FILE_ID = /^[A-Za-z0-9_-]{8,255}$/;
/** A side in pixels (Telegram's photos are at most 10,000 on a side; a bound well above). */
const isSide = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= 1_000_000;
/** At most this many sizes of a photo are looked at (Telegram sends four or five). */
const MAX_SIZES = 16;

/** A size in bytes as Telegram gives it: a number (a safe integer), else nothing. */
const count = (v: unknown): number | undefined => (typeof v === 'number' ? byteCount(v) : undefined);

type PhotoSize = { file_id: string; width: number; height: number; file_size?: number };

/** One PhotoSize, checked; null when a field is malformed. */
function photoSize(p: unknown): PhotoSize | null {
  if (!isObject(p) || typeof p.file_id !== 'string' || !FILE_ID.test(p.file_id) || !isSide(p.width) || !isSide(p.height)) return null;
  if (p.file_size === undefined) return { file_id: p.file_id, width: p.width, height: p.height };
  const size = count(p.file_size);
  return size === undefined ? null : { file_id: p.file_id, width: p.width, height: p.height, file_size: size };
}

const area = (s: PhotoSize) => s.width * s.height;
const fits = (s: PhotoSize) => (s.file_size ?? 0) <= PICTURE_MAX_BYTES && area(s) <= PICTURE_MAX_PIXELS;
/** The larger of two sizes: by pixels, then by bytes. */
const larger = (a: PhotoSize, b: PhotoSize) => (area(b) > area(a) || (area(b) === area(a) && (b.file_size ?? 0) > (a.file_size ?? 0)) ? b : a);

/**
 * The picture of a message, or undefined: of a photo, the largest size within 5 MB and 25 megapixels
 * (Telegram sends several sizes of each; when none fits, the largest, with its size, so that it is
 * refused without a download); of a document whose type is image/*, the file. A size with a malformed
 * field (a file_id of the wrong shape, a size that is not a safe integer) is passed over; a document
 * with one gives no picture.
 */
export function pictureOf(m: Record<string, unknown>): TelegramPicture | undefined {
  if (Array.isArray(m.photo)) {
    const sizes = m.photo.slice(0, MAX_SIZES).map(photoSize).filter((s) => s !== null);
    const fitting = sizes.filter(fits);
    const from = fitting.length ? fitting : sizes;
    return from.length ? from.reduce(larger) : undefined;
  }
  const d = m.document;
  if (!isObject(d) || typeof d.file_id !== 'string' || !FILE_ID.test(d.file_id)) return undefined;
  const mime = imageType(d.mime_type);
  if (!mime) return undefined;
  if (d.file_size === undefined) return { file_id: d.file_id, mime_type: mime };
  const size = count(d.file_size);
  return size === undefined ? undefined : { file_id: d.file_id, file_size: size, mime_type: mime };
}

/** A file_path as Telegram's getFile gives it (photos/file_12.jpg): relative, no '.' or '..' parts. */
const FILE_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9_.-]{1,100}(?:\/[A-Za-z0-9_.-]{1,100}){0,4}$/;

/**
 * Fetches a file a person sent: getFile, then the download. Telegram refuses getFile for files over
 * 20 MB ("Bad Request: file is too big"): 'too_large'; a size getFile gives over `maxBytes` is refused
 * before the download; any other refusal, a 5xx, a network failure or a vanished file: 'unavailable'.
 */
export async function fetchTelegramFile(apiRoot: string, token: string, fileId: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  const root = apiRoot.replace(/\/$/, '');
  const res = await askJson('Telegram getFile', `${root}/bot${token}/getFile`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ file_id: fileId }), signal,
  });
  const a = isObject(res.json) ? res.json : {};
  if (!res.ok || a.ok !== true) {
    const description = typeof a.description === 'string' ? a.description.slice(0, 200) : `HTTP ${res.status}`;
    throw new PictureProblem(/file is too big/i.test(description) ? 'too_large' : 'unavailable', `Telegram getFile: ${description}`);
  }
  const file = isObject(a.result) ? a.result : {};
  const size = byteCount(file.file_size);
  if (size !== undefined && size > maxBytes) throw overLimit(size, maxBytes);
  if (typeof file.file_path !== 'string' || !FILE_PATH.test(file.file_path)) throw new PictureProblem('unavailable', 'Telegram getFile gave no usable file_path');
  return fetchCapped(`${root}/file/bot${token}/${file.file_path}`, { signal }, maxBytes);
}

/** A kept picture as the conversation takes it, fetched through this bot's token and API root. */
export function telegramPicture(p: TelegramPicture, apiRoot: string, token: string): PictureSource {
  return pictureSource({
    bytes: p.file_size,
    // A photo (no type kept) is JPEG: Telegram makes every size of a photo so.
    mime: p.mime_type ?? 'image/jpeg',
    secrets: [token],
    fetch: (maxBytes, signal) => fetchTelegramFile(apiRoot, token, p.file_id, maxBytes, signal),
  });
}
