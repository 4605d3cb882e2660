// Fidelity of reading pictures: offers from the corpus drawn as flyers (sharp renders SVG text: several
// fonts, colours including a light-on-dark poster, sizes, a small rotation, JPEG compression or PNG),
// read with real OCR, and checked: the verdict on what was read must be the verdict on the text for at
// least 90 % of the pictures (issue 22).
//
// The sample is fixed: a seeded choice from test/fixtures/offers (the project's own offers),
// offers-fresh and offers-real (real offers with sources), the same number from each label and
// language within each source: 16 + 8 + 12 = 36 pictures, each in the look flyerLook gives its place.
// That is about 30 s on the 2-core machine with two workers (45 s with other tests running beside it).
// offers-heldout is never read here: it is kept apart from all tuning, and the reading of pictures is
// tuned against this test.
// Long offers are cut to what one flyer holds (flyerText, 900 characters, at a line or sentence end):
// a picture of a 2,000-character notice takes seconds more to read and adds nothing this test measures,
// and both verdicts are given on the same cut text.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, fnv1a, loadCorpus, REAL_DIR, type Offer } from '../../src/checker/corpus.js';
import { checkOffer, type Risk } from '../../src/checker/index.js';
import { cleanOcrText, PictureReader, type PictureReading } from '../../src/ocr/index.js';
import { drawText, flyerLook, flyerText, wrap } from '../helpers/pictures.js';

const SEED = 'ocr-fidelity-1';
/** Offers taken from each (label, language) of each source. */
const SOURCES = [
  { name: 'offers', dir: CORPUS_DIR, each: 4 },
  { name: 'offers-fresh', dir: path.join(CORPUS_DIR, '../offers-fresh'), each: 2 },
  { name: 'offers-real', dir: REAL_DIR, each: 3 },
];
const MIN_MATCH = 0.9;
/** Two workers, read two at a time: the CI machine's two cores (a worker per core reads fastest). */
const WORKERS = 2;

const rank = (id: string) => fnv1a(`${SEED}:${id}`);

/** The sample: per source, per label and language, the offers first by a seeded hash of their id; then shuffled the same way. */
function sample(): (Offer & { source: string })[] {
  const out: (Offer & { source: string })[] = [];
  for (const s of SOURCES) {
    const offers = loadCorpus(s.dir);
    for (const label of ['scam', 'genuine'] as const) {
      for (const lang of ['id', 'en'] as const) {
        const group = offers.filter((o) => o.label === label && o.lang === lang).sort((a, b) => rank(a.id) - rank(b.id));
        out.push(...group.slice(0, s.each).map((o) => ({ id: o.id, lang, label, text: flyerText(o.text), source: s.name })));
      }
    }
  }
  return out.sort((a, b) => rank(`order:${a.id}`) - rank(`order:${b.id}`));
}

interface Outcome {
  id: string;
  source: string;
  look: string;
  parts: Record<string, string>;
  chars: number;
  want: Risk;
  got: Risk | `failed: ${string}`;
  reading: PictureReading;
}

/** Reads the pictures `concurrency` at a time, so each one's time is its own and not time spent queueing. */
async function readAll<T>(items: T[], concurrency: number, read: (item: T) => Promise<Outcome>): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) out.push(await read(items[next++]!));
    }),
  );
  return out;
}

/** What to look at when the rate falls: the rate, mean time, mismatches by look part, and each mismatch with what was read. */
function report(outcomes: Outcome[]): string {
  const bad = outcomes.filter((o) => o.got !== o.want);
  const rate = (outcomes.length - bad.length) / outcomes.length;
  const meanMs = Math.round(outcomes.reduce((n, o) => n + o.reading.ms, 0) / outcomes.length);
  const confidence = outcomes.map((o) => (o.reading.ok ? o.reading.confidence : 0));
  const lines = [
    `picture verdict = text verdict for ${outcomes.length - bad.length}/${outcomes.length} pictures (${(rate * 100).toFixed(1)} %); ` +
      `mean ${meanMs} ms a picture (max ${Math.max(...outcomes.map((o) => o.reading.ms))}), mean confidence ${Math.round(confidence.reduce((a, b) => a + b, 0) / confidence.length)}`,
  ];
  for (const kind of Object.keys(outcomes[0]?.parts ?? {})) {
    const values = [...new Set(outcomes.map((o) => o.parts[kind]!))];
    const missed = values
      .map((v) => [v, bad.filter((o) => o.parts[kind] === v).length, outcomes.filter((o) => o.parts[kind] === v).length] as const)
      .filter(([, b]) => b > 0)
      .map(([v, b, n]) => `${v} ${b}/${n}`);
    if (missed.length) lines.push(`  mismatches by ${kind}: ${missed.join(', ')}`);
  }
  for (const o of bad) {
    const read = o.reading.ok ? o.reading.text.replace(/\s+/g, ' ').slice(0, 140) : '';
    lines.push(`  ${o.id} (${o.source}, ${o.chars} chars) as ${o.look}: text ${o.want}, picture ${o.got}${o.reading.ok ? ` (confidence ${o.reading.confidence}): «${read}»` : ''}`);
  }
  return lines.join('\n');
}

const offers = sample();

describe('an offer drawn as a flyer gets the verdict of its text', () => {
  let reader: PictureReader;
  beforeAll(async () => {
    // A generous time limit: this measures what is read, not how fast (a loaded CI machine is slow).
    reader = new PictureReader({ workers: WORKERS, queue: WORKERS, timeoutMs: 60_000 });
    await reader.warm();
  });
  afterAll(() => reader.close());

  it(`for at least ${MIN_MATCH * 100} % of ${offers.length} offers from three sources, in fonts, colours, sizes, angles and JPEG qualities`, async () => {
    // Each kind of offer is in the sample, short and long.
    expect(new Set(offers.map((o) => `${o.label}-${o.lang}`)).size).toBe(4);
    expect(offers.some((o) => o.text.length < 150) && offers.some((o) => o.text.length > 600)).toBe(true);
    const outcomes = await readAll(
      offers.map((o, i) => ({ o, ...flyerLook(i) })),
      WORKERS,
      async ({ o, look, name, parts }) => {
        const reading = await reader.read(await drawText(o.text, look));
        const want = checkOffer(o.text).risk;
        const got = reading.ok ? checkOffer(reading.text).risk : (`failed: ${reading.failure}` as const);
        return { id: o.id, source: o.source, look: name, parts, chars: o.text.length, want, got, reading };
      },
    );
    const text = report(outcomes);
    console.log(text);
    const matched = outcomes.filter((o) => o.got === o.want).length;
    expect(matched / outcomes.length, text).toBeGreaterThanOrEqual(MIN_MATCH);
  }, 180_000);
});

describe('lines a flyer wrapped are joined back into sentences', () => {
  it('a sentence broken where the line was full is one line again; headings, list items and sentence ends keep their line', () => {
    const read = 'LOWONGAN KERJA KAMBOJA\nKerja enak gaji gede di luar negeri, cuma\nmodal HP & semangat. Posisi customer\nservice, nanti dilatih. Transfer uang\n\npendaftaran 300rb ke dana 0896xxxxxxx.\nSyarat:\n- usia 18-35 tahun\n- bisa mengetik cepat di komputer atau hp';
    expect(cleanOcrText(read)).toBe(
      'LOWONGAN KERJA KAMBOJA\nKerja enak gaji gede di luar negeri, cuma modal HP & semangat. Posisi customer service, nanti dilatih. Transfer uang pendaftaran 300rb ke dana 0896xxxxxxx.\nSyarat:\n- usia 18-35 tahun\n- bisa mengetik cepat di komputer atau hp',
    );
  });

  it('a short notice of a few words a line is left as it is', () => {
    expect(cleanOcrText('LOKER\nGaji 15 juta\nWA 0812')).toBe('LOKER\nGaji 15 juta\nWA 0812');
  });

  it('every sampled offer, wrapped as the flyers are, gets its own verdict back once read as text', () => {
    for (const [i, o] of offers.entries()) {
      const width = flyerLook(i).look.width!;
      expect(checkOffer(cleanOcrText(wrap(o.text, width).join('\n'))).risk, o.id).toBe(checkOffer(o.text).risk);
    }
  });
});
