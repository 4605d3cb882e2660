// What a picture is, read from its first bytes before anything decodes it: PNG, JPEG or WebP, and its
// pixel size. A decompression bomb (a small file that decodes to billions of pixels) is refused here,
// from its header, without decoding it.
import { sniff } from '../store/media.js';

/** Most bytes of a picture read. */
export const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
/** Most pixels of a picture read (25 megapixels: a 6000 × 4000 photo passes, a bomb does not). */
export const MAX_PICTURE_PIXELS = 25_000_000;

export type PictureType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface PictureHeader {
  mime: PictureType;
  /** From the header; absent when the header does not say (a JPEG cut before its frame header). */
  width?: number;
  height?: number;
}

/** Why a picture is not read. */
export type PictureRefusal = 'not_picture' | 'too_large' | 'too_many_pixels';

/** The type and size of a PNG, JPEG or WebP from its header; null for anything else. */
export function pictureHeader(bytes: Buffer): PictureHeader | null {
  const webp = webpHeader(bytes);
  if (webp) return webp;
  const s = sniff(bytes);
  if (!s || s.kind !== 'image' || (s.mime !== 'image/png' && s.mime !== 'image/jpeg')) return null;
  return { mime: s.mime, width: s.width, height: s.height };
}

/** RIFF....WEBP with a VP8 (lossy), VP8L (lossless) or VP8X (extended) first chunk. */
function webpHeader(b: Buffer): PictureHeader | null {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return null;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') {
    // Canvas width − 1 and height − 1 as 24-bit little-endian numbers at 24 and 27.
    return { mime: 'image/webp', width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  }
  if (chunk === 'VP8L') {
    // Signature 0x2f, then 14 bits width − 1 and 14 bits height − 1.
    if (b[20] !== 0x2f) return { mime: 'image/webp' };
    const bits = b.readUInt32LE(21);
    return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') {
    // A key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return { mime: 'image/webp' };
    return { mime: 'image/webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  return { mime: 'image/webp' };
}

/**
 * Why these bytes must not be decoded, or null when they may be: not a PNG, JPEG or WebP by its magic
 * bytes; over 5 MB; or over 25 megapixels by its header. A header that does not give the size is let
 * through here: the decoder is then told the same pixel limit and refuses before decoding.
 */
export function refusePicture(bytes: Buffer): PictureRefusal | null {
  if (bytes.length > MAX_PICTURE_BYTES) return 'too_large';
  const h = pictureHeader(bytes);
  if (!h) return 'not_picture';
  if (h.width !== undefined && h.height !== undefined && h.width * h.height > MAX_PICTURE_PIXELS) return 'too_many_pixels';
  if (h.width === 0 || h.height === 0) return 'not_picture';
  return null;
}
