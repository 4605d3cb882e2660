// Reading pictures: what is refused before anything decodes it, what is refused while decoding, and
// the pool's limits (busy, time limit), with the process up and the next picture read afterwards.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PICTURE_BYTES, MAX_PREPARED_PIXELS, pictureHeader, PictureReader, prepare, refusePicture } from '../../src/ocr/index.js';
import { cleanOcrText, firstLines } from '../../src/ocr/text.js';
import { OcrPool, OcrTimeout } from '../../src/ocr/pool.js';
import { drawText } from '../helpers/pictures.js';

const OFFER = 'Lowongan kerja admin di Kamboja\nGaji 15 juta per bulan, tanpa pengalaman\nHubungi WA 0812-3456-7890';

/** A real PNG whose header is then made to claim another size (the header is all the check reads). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

/** A real JPEG whose frame header is made to claim another size. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).jpeg().toBuffer();
  for (let i = 2; i + 9 < jpg.length; ) {
    const marker = jpg[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      jpg.writeUInt16BE(height, i + 5);
      jpg.writeUInt16BE(width, i + 7);
      return jpg;
    }
    i += 2 + jpg.readUInt16BE(i + 2);
  }
  throw new Error('no frame header');
}

describe('what a picture is, from its first bytes', () => {
  it('PNG, JPEG and WebP are known with their pixel size; anything else is not a picture', async () => {
    const base = sharp({ create: { width: 321, height: 123, channels: 3, background: '#abc' } });
    expect(pictureHeader(await base.clone().png().toBuffer())).toEqual({ mime: 'image/png', width: 321, height: 123 });
    expect(pictureHeader(await base.clone().jpeg().toBuffer())).toEqual({ mime: 'image/jpeg', width: 321, height: 123 });
    expect(pictureHeader(await base.clone().webp().toBuffer())).toEqual({ mime: 'image/webp', width: 321, height: 123 });
    expect(pictureHeader(await base.clone().webp({ lossless: true }).toBuffer())).toEqual({ mime: 'image/webp', width: 321, height: 123 });
    expect(pictureHeader(await base.clone().gif().toBuffer())).toBeNull();
    expect(pictureHeader(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(pictureHeader(Buffer.alloc(0))).toBeNull();
  });

  it('refuses over 5 MB, over 25 megapixels by the header, and zero-sized pictures, before decoding', async () => {
    const big = Buffer.concat([await pngClaiming(10, 10), Buffer.alloc(MAX_PICTURE_BYTES)]);
    expect(refusePicture(big)).toBe('too_large');
    expect(refusePicture(await pngClaiming(50_000, 50_000))).toBe('too_many_pixels');
    expect(refusePicture(await jpegClaiming(65_000, 65_000))).toBe('too_many_pixels');
    expect(refusePicture(await pngClaiming(5000, 5000))).toBeNull();
    expect(refusePicture(await pngClaiming(0, 100))).toBe('not_picture');
  });
});

describe('a pool of one reader', () => {
  const reader = new PictureReader({ workers: 1, queue: 1, timeoutMs: 15_000 });
  afterAll(() => reader.close());

  it('reads a drawn offer, and says how sure it is', async () => {
    const r = await reader.read(await drawText(OFFER, { jpeg: 70 }));
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.text).toMatch(/Kamboja/);
    expect(r.text).toMatch(/0812-3456-7890/);
    expect(r.confidence).toBeGreaterThan(50);
  });

  it('reads a WebP screenshot too', async () => {
    const png = await drawText(OFFER);
    const r = await reader.read(await sharp(png).webp({ quality: 80 }).toBuffer());
    expect(r.ok && r.text).toMatch(/Lowongan kerja admin/);
  });

  it.each([
    ['a PNG claiming 50,000 × 50,000 pixels', () => pngClaiming(50_000, 50_000), 'too_many_pixels'],
    ['a JPEG claiming 65,000 × 65,000 pixels', () => jpegClaiming(65_000, 65_000), 'too_many_pixels'],
    ['a GIF', () => sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } }).gif().toBuffer(), 'not_picture'],
    ['text bytes', async () => Buffer.from('not a picture at all, just words'), 'not_picture'],
    ['a PNG cut after its header', async () => (await drawText(OFFER)).subarray(0, 200), 'broken'],
  ] as const)('%s is refused (%s), and the process goes on', async (_, make, failure) => {
    const r = await reader.read(await make());
    expect(r).toMatchObject({ ok: false, failure });
  });

  it('a decompression bomb whose header is honest is refused by the header, unread', async () => {
    // 20,000 × 20,000 of one colour: a small file that would decode to 400 million pixels.
    const bomb = await pngClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(1000);
    expect(await reader.read(bomb)).toMatchObject({ ok: false, failure: 'too_many_pixels' });
  });

  it('with the worker busy and the queue full, more pictures are refused as busy; the others are read', async () => {
    const pic = await drawText(OFFER);
    const results = await Promise.all([1, 2, 3, 4].map(() => reader.read(pic)));
    const outcomes = results.map((r) => (r.ok ? 'read' : r.failure));
    // One reading, one waiting: of four sent together, at least one finds the queue full.
    expect(outcomes.filter((o) => o === 'busy').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((o) => o !== 'busy').every((o) => o === 'read')).toBe(true);
    expect(outcomes.filter((o) => o === 'read').length).toBeGreaterThanOrEqual(2);
  });
});

describe('the time limit', () => {
  it('a picture that takes too long is given up, its worker ended, and the next one read by the fresh worker of the same pool', async () => {
    // On the pool itself, with the picture prepared beforehand: through the reader, a loaded machine
    // can spend the whole time limit preparing the picture, and then no worker is involved.
    const pool = new OcrPool({ workers: 1, queue: 2, timeoutMs: 60_000 });
    try {
      await pool.warm();
      const prepared = await prepare(await drawText(OFFER));
      expect(pool.counts.started).toBe(1);
      // A warm worker takes it at once; 1 ms is far less than any reading takes.
      await expect(pool.recognize(prepared, 1)).rejects.toBeInstanceOf(OcrTimeout);
      expect(pool.counts).toMatchObject({ timeouts: 1 });
      const next = await pool.recognize(prepared);
      expect(next.text).toMatch(/Kamboja/);
      expect(pool.counts).toMatchObject({ started: 2, read: 1 });
      expect(pool.load).toEqual({ running: 0, waiting: 0 });
    } finally {
      await pool.close();
    }
  });

  it('a picture whose worker is still starting when its time runs out gets no picture, and no error escapes', async () => {
    const reader = new PictureReader({ workers: 1, queue: 2, timeoutMs: 1 });
    try {
      expect(await reader.read(await drawText(OFFER))).toMatchObject({ ok: false, failure: 'timeout' });
    } finally {
      await reader.close();
    }
  });
});

describe('limits that keep a process within its means', () => {
  it('a tall, narrow picture (400 × 62,500, within 25 megapixels) is prepared to at most 12 megapixels, not scaled up to 225', async () => {
    const tall = await sharp({ create: { width: 400, height: 62_500, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(refusePicture(tall)).toBeNull();
    const prepared = await prepare(tall);
    const m = await sharp(prepared).metadata();
    expect(m.width! * m.height!).toBeLessThanOrEqual(MAX_PREPARED_PIXELS);
  });

  it('a burst beyond workers + queue is refused as busy before any picture is prepared', async () => {
    const reader = new PictureReader({ workers: 1, queue: 1, timeoutMs: 60_000 });
    try {
      const pic = await drawText(OFFER);
      const results = await Promise.all(Array.from({ length: 6 }, () => reader.read(pic)));
      const busy = results.filter((r) => !r.ok && r.failure === 'busy');
      // Two taken in (one read, one waiting), four refused at once: no time spent on them.
      expect(busy).toHaveLength(4);
      expect(busy.every((r) => r.ms < 50)).toBe(true);
      expect(results.filter((r) => r.ok)).toHaveLength(2);
    } finally {
      await reader.close();
    }
  });

  it('closing the readers answers the pictures in hand as "stopping" (to be read by the next process), not as broken', async () => {
    const reader = new PictureReader({ workers: 1, queue: 2, timeoutMs: 60_000 });
    const pic = await drawText(OFFER);
    const pending = [reader.read(pic), reader.read(pic)];
    await new Promise((r) => setTimeout(r, 200));
    await reader.close();
    const results = await Promise.all(pending);
    for (const r of results) expect(r.ok || r.failure === 'stopping', JSON.stringify(r)).toBe(true);
    expect(await reader.read(pic)).toMatchObject({ ok: false, failure: 'stopping' });
  });
});

describe('the text read', () => {
  it('is tidied: lines trimmed, symbol-only lines and runs of blank lines dropped', () => {
    expect(cleanOcrText('  LOWONGAN  \n\n\n\n— — —\nGaji   15 juta \r\n|  \nWA 0812')).toBe('LOWONGAN\n\nGaji 15 juta\n\nWA 0812');
  });

  it('its first lines are shown, cut at a word with an ellipsis', () => {
    expect(firstLines('LOWONGAN\n\nGaji 15 juta\nWA 0812\nlagi')).toBe('LOWONGAN / Gaji 15 juta / WA 0812');
    expect(firstLines('x'.repeat(300)).length).toBe(160);
  });
});
