// Campaign media kept in Redis: what a file is comes from its bytes; one copy per content.
import { afterAll, describe, expect, it } from 'vitest';
import { keyspace } from '../../src/store/keys.js';
import { MAX_MEDIA_BYTES, MediaStore, sniff } from '../../src/store/media.js';
import { mp4, png } from '../helpers/media.js';
import { dropPrefix, plainRedis, testPrefix } from '../helpers/redis.js';

/** A JPEG's head: SOI, an APP0 segment, then SOF0 with the given size. */
function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

describe('what a media file is', () => {
  it('is read from its bytes: PNG and JPEG with their pixel size, MP4 and 3GP videos; anything else is nothing', () => {
    expect(sniff(png(640, 480))).toEqual({ kind: 'image', mime: 'image/png', width: 640, height: 480 });
    expect(sniff(jpeg(1280, 720))).toEqual({ kind: 'image', mime: 'image/jpeg', width: 1280, height: 720 });
    expect(sniff(mp4())).toEqual({ kind: 'video', mime: 'video/mp4' });
    const gp = mp4();
    gp.write('3gp5', 8, 'latin1');
    expect(sniff(gp)).toEqual({ kind: 'video', mime: 'video/3gpp' });
    expect(sniff(Buffer.from('GIF89a....'))).toBeNull();
    expect(sniff(Buffer.from('%PDF-1.7 not media'))).toBeNull();
    expect(sniff(Buffer.alloc(0))).toBeNull();
  });
});

describe('the media store', () => {
  const prefix = testPrefix('media');
  const redis = plainRedis();
  const store = new MediaStore(redis, keyspace(prefix));
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('keeps one copy per content, gives it back by id, and refuses empty, unknown and oversized files', async () => {
    const file = png(10, 20);
    const a = await store.put(file);
    const b = await store.put(Buffer.from(file));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ kind: 'image', bytes: file.length, width: 10, height: 20 });
    expect((await store.get(a.id))!.equals(file)).toBe(true);
    expect(await store.describe(a.id)).toEqual(a);
    expect(await redis.ttl(keyspace(prefix).media(a.id))).toBeGreaterThan(59 * 24 * 3600);
    expect(await store.get('f'.repeat(64))).toBeNull();
    expect(await store.get('../../etc/passwd')).toBeNull();
    await expect(store.put(Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(store.put(Buffer.from('plain text'))).rejects.toThrow(/not a JPEG or PNG picture or an MP4 video/);
    await expect(store.put(png(2, 2, { atLeast: MAX_MEDIA_BYTES + 1 }))).rejects.toThrow(/at most/);
  });
});
