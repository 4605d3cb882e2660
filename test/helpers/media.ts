// Small real media files for tests: PNGs of any size (each one different unless asked otherwise,
// padded to a byte count when a test needs a big file) and MP4s (an ftyp box, then a free box).
// What the media code reads of them is real: the PNG signature and IHDR, the MP4's brand.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

let made = 0;
const note = () => `waspada test ${process.pid} ${++made} ${Math.random()}`;

/**
 * A gray PNG of width × height (its pixels only when small: the size in IHDR is what is read), with a
 * text chunk making each file different (`same: true`: the same bytes for the same arguments), padded
 * to `atLeast` bytes.
 */
export function png(width = 8, height = 8, opts: { atLeast?: number; same?: boolean } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (width * height <= 65_536) {
    const rows = Buffer.alloc((width + 1) * height, 0x80);
    for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
    parts.push(chunk('IDAT', deflateSync(rows)));
  }
  const text = Buffer.from(`Comment\0${opts.same ? 'waspada test' : note()}`, 'latin1');
  const size = parts.reduce((n, p) => n + p.length, 0) + text.length + 24;
  const pad = Math.max(0, (opts.atLeast ?? 0) - size);
  parts.push(chunk('tEXt', Buffer.concat([text, Buffer.alloc(pad, 0x20)])), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** An MP4: an ftyp box (brand isom), then a free box making each file different, padded to `atLeast` bytes. */
export function mp4(opts: { atLeast?: number; same?: boolean } = {}): Buffer {
  const text = Buffer.from(opts.same ? 'waspada test' : note(), 'latin1');
  const pad = Math.max(0, (opts.atLeast ?? 0) - 32 - text.length);
  const free = Buffer.alloc(8);
  free.writeUInt32BE(8 + text.length + pad, 0);
  free.write('free', 4, 'latin1');
  return Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2', 'latin1'), free, text, Buffer.alloc(pad)]);
}
