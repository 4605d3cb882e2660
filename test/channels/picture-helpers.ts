// What the channels' picture tests share: plain pictures to fetch, the offer drawn as a flyer for the
// whole-process tests, how a fetch that must fail is looked at, and an inbox that keeps what a channel
// stores so that the test reads it back as another process would.
import sharp from 'sharp';
import { expect } from 'vitest';
import type { Channel } from '../../src/channels/port.js';
import type { Delivery } from '../../src/conversation/inbox.js';
import { PictureProblem, type PictureSource } from '../../src/conversation/picture.js';

export const MB = 1024 * 1024;

/** An offer the checker finds high-risk; drawn as a flyer, read back by OCR, it gets the same verdict. */
export const OFFER =
  'LOWONGAN KERJA KAMBOJA\nAdmin CS di Sihanoukville, gaji 18 juta per bulan, tanpa pengalaman. Tiket dan visa turis ditanggung perusahaan. Berangkat minggu depan, hubungi WA 0812-7788-9900 segera, slot terbatas!';

/** A picture of one colour, as a phone or a screenshot tool would save it. */
export const jpeg = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#e0d0c0' } }).jpeg().toBuffer();
export const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#203040' } }).png().toBuffer();

/** What a fetch threw: it must throw a PictureProblem. */
export async function problem(p: Promise<unknown>): Promise<PictureProblem> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PictureProblem);
  return e as PictureProblem;
}

/** What a channel made of a message: the body it stored, and what another process reads from it. */
export interface ReadBack {
  delivery: Delivery;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  picture?: PictureSource;
  media?: string;
  text?: string;
}

/** An inbox that keeps what a channel hands it (in place of the Redis inbox: nothing is handled by itself). */
export class KeepingInbox {
  readonly stored: Delivery[] = [];
  readonly ingest = async (d: Delivery): Promise<'queued'> => {
    this.stored.push(d);
    return 'queued';
  };

  /** The last delivery as another process reads it (its body through JSON), made a message by `channel`. */
  async readBack(channel: Pick<Channel, 'inbound'>): Promise<ReadBack> {
    const d = this.stored.at(-1)!;
    const delivery = { ...d, body: JSON.parse(JSON.stringify(d.body)) as unknown };
    const inbound = await channel.inbound(delivery);
    return { delivery, body: d.body as ReadBack['body'], picture: inbound?.picture, media: inbound?.media, text: inbound?.text };
  }
}
