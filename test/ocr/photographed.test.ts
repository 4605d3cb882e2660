// A flyer photographed with a phone rather than screenshotted: seen at a slant, slightly out of focus,
// lit unevenly, with sensor noise, saved as a JPEG. Its verdict must still be the text's.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOffer } from '../../src/checker/index.js';
import { PictureReader } from '../../src/ocr/index.js';
import { drawText } from '../helpers/pictures.js';

const SCAM =
  'LOWONGAN KERJA LUAR NEGERI\nDibutuhkan admin dan customer service di Kamboja. Gaji 15 juta per bulan, tanpa pengalaman. Tiket, visa dan mess ditanggung perusahaan. Berangkat minggu depan, kuota terbatas! Hubungi WA 0812-7788-9900.';

/** The flyer as a phone camera would give it: slant, blur, a light falling off to one side, noise, JPEG. */
async function photograph(flyer: Buffer, seed: number): Promise<Buffer> {
  const slanted = await sharp(flyer)
    .affine([[1, 0.05], [-0.03, 1]], { background: '#f4f1ea' })
    .rotate(-1.5, { background: '#f4f1ea' })
    .blur(0.7)
    .toBuffer({ resolveWithObject: true });
  const { width, height } = slanted.info;
  const light = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><radialGradient id="l" cx="0.3" cy="0.3" r="0.9"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#8a8170"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#l)"/></svg>`,
  );
  const lit = await sharp(slanted.data).composite([{ input: light, blend: 'multiply' }]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  // Sensor noise: a seeded ±18 on every channel.
  let s = seed;
  const px = lit.data;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = Math.max(0, Math.min(255, px[i]! + ((s >>> 16) % 37) - 18));
  }
  return sharp(px, { raw: lit.info }).jpeg({ quality: 72 }).toBuffer();
}

describe('a photographed flyer', () => {
  const reader = new PictureReader({ workers: 1, timeoutMs: 60_000 });
  afterAll(() => reader.close());

  it.each([
    ['sans, 26 px', { size: 26 }],
    ['serif, 22 px', { size: 22, font: 'DejaVu Serif' }],
  ])('(%s) is read well enough for the same verdict as its text, quoting its words', async (_, look) => {
    const r = await reader.read(await photograph(await drawText(SCAM, { width: 40, ...look }), 7));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const v = checkOffer(r.text);
    expect(v.risk, r.text).toBe(checkOffer(SCAM).risk);
    expect(v.flags.flatMap((f) => f.evidence).join(' ')).toMatch(/Kamboja|pengalaman|visa|Tiket/i);
  });
});
