// Pictures and short videos staff attach to campaigns: kept once in Redis by the SHA-256 of their
// bytes, so every process (web, workers) can read them; each channel uploads a file to its platform
// once and keeps the platform's id for it (under its own keys), so a campaign to thousands uploads it
// once, not per person. What a file is comes from its bytes (magic numbers), never from its name.
import { createHash } from 'node:crypto';
import type { RedisClient } from './connection.js';
import type { MediaRef } from '../engine/types.js';
import type { Keyspace } from './keys.js';

export type { MediaRef };

/** The largest file kept: above every platform's limit for what Waspada sends (WhatsApp video 16 MB). */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;
/** How long a file is kept after it was last stored (a campaign may wait for its schedule, or be resumed). */
export const MEDIA_TTL_S = 60 * 24 * 3600;

export class MediaError extends Error {}

/** The kind and type of a file from its first bytes, and a picture's size where it is cheap to read. */
export function sniff(bytes: Buffer): Pick<MediaRef, 'kind' | 'mime' | 'width' | 'height'> | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) {
    // PNG: IHDR is the first chunk; width and height at 16 and 20.
    return { kind: 'image', mime: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { kind: 'image', mime: 'image/jpeg', ...jpegSize(bytes) };
  }
  // ISO base media (MP4): a box of type 'ftyp' first, with a brand of the MP4 family.
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') {
    const brand = bytes.toString('latin1', 8, 12);
    if (/^3g/.test(brand)) return { kind: 'video', mime: 'video/3gpp' };
    if (/^(isom|iso\d|mp4\d|avc1|M4V |mp41|mp42|dash)/.test(brand)) return { kind: 'video', mime: 'video/mp4' };
  }
  return null;
}

/** Width and height from a JPEG's first start-of-frame marker (absent when the file is cut short). */
function jpegSize(b: Buffer): { width?: number; height?: number } {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return {};
    const marker = b[i + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    // SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return {};
}

export class MediaStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** Keeps a file (once per content) and returns what channels need to send it. Refuses what is not a JPEG, PNG or MP4/3GP video. */
  async put(bytes: Buffer): Promise<MediaRef> {
    if (!bytes.length) throw new MediaError('the file is empty');
    if (bytes.length > MAX_MEDIA_BYTES) throw new MediaError(`the file has ${bytes.length} bytes; at most ${MAX_MEDIA_BYTES} are taken`);
    const kind = sniff(bytes);
    if (!kind) throw new MediaError('the file is not a JPEG or PNG picture or an MP4 video');
    const id = createHash('sha256').update(bytes).digest('hex');
    await this.redis.set(this.keys.media(id), bytes, 'EX', MEDIA_TTL_S);
    return { id, ...kind, bytes: bytes.length };
  }

  /** The file's bytes, or null when it is no longer kept. */
  async get(id: string): Promise<Buffer | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    return this.redis.getBuffer(this.keys.media(id));
  }

  /** What a kept file is (as `put` said), or null when it is not kept. */
  async describe(id: string): Promise<MediaRef | null> {
    const bytes = await this.get(id);
    const kind = bytes && sniff(bytes);
    return kind ? { id, ...kind, bytes: bytes.length } : null;
  }

  /** Keeps a file longer (a campaign that still needs it). */
  async touch(id: string): Promise<boolean> {
    return (await this.redis.expire(this.keys.media(id), MEDIA_TTL_S)) === 1;
  }
}
