// A picture a person sent (a flyer, a screenshot of a chat): it stays on the platform until Waspada
// reads it, and is fetched only then, into memory, never stored. Each channel says how to fetch its
// own; the conversation reads the text in it (src/ocr/) and checks that text as a job offer.

/** Most bytes (5 MB) and pixels (25 megapixels) of a picture Waspada fetches and reads. */
export { MAX_PICTURE_BYTES as PICTURE_MAX_BYTES, MAX_PICTURE_PIXELS as PICTURE_MAX_PIXELS } from '../ocr/image.js';

/** Why a picture could not be fetched. */
export type PictureProblemKind =
  /** Larger than the limit (said by the platform before the download, or found while downloading). */
  | 'too_large'
  /** The platform or the network failed, or the file is no longer there: asking again later may work. */
  | 'unavailable'
  /** The platform says it is not a picture Waspada reads (a type other than PNG, JPEG or WebP). */
  | 'unsupported';

export class PictureProblem extends Error {
  constructor(
    readonly kind: PictureProblemKind,
    message: string,
  ) {
    super(message);
  }
}

/** A picture still on the platform. */
export interface PictureSource {
  /** Its size in bytes when the platform says it before any download (over the limit: refused unfetched). */
  bytes?: number;
  /** Its type as the platform says it (image/jpeg…), if it does; the bytes decide in the end. */
  mime?: string;
  /**
   * Downloads it into memory: at most `maxBytes` (PictureProblem 'too_large' beyond, without reading
   * the rest), giving up when `signal` aborts. Throws PictureProblem for every failure.
   */
  fetch(maxBytes: number, signal?: AbortSignal): Promise<Buffer>;
}

/**
 * GETs a URL's body into memory, refusing it as soon as it is known to exceed `maxBytes` (by its
 * content-length, else while it arrives). Every failure is a PictureProblem: 'too_large' or 'unavailable'.
 */
export async function fetchCapped(url: string, init: { headers?: Record<string, string>; signal?: AbortSignal }, maxBytes: number): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { headers: init.headers, signal: init.signal, redirect: 'follow' });
  } catch (e) {
    throw new PictureProblem('unavailable', `download failed: ${(e as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new PictureProblem('unavailable', `download answered ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new PictureProblem('too_large', `${declared} bytes, over ${maxBytes}`);
  }
  let body: Buffer | null;
  try {
    body = await readCapped(res, maxBytes);
  } catch (e) {
    throw new PictureProblem('unavailable', `download broke off: ${(e as Error).message}`);
  }
  if (body === null) throw new PictureProblem('too_large', `over ${maxBytes} bytes`);
  return body;
}

/**
 * A response's body, or null as soon as it passes `maxBytes` (the rest is not read). Throws when the
 * body breaks off.
 */
export async function readCapped(res: Response, maxBytes: number): Promise<Buffer | null> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, size);
}
