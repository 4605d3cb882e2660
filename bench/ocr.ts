/**
 * Benchmark of reading pictures of offers (src/ocr: sharp prepares, tesseract.js workers read):
 * - milliseconds a picture, p50 and p99, one picture at a time with one warm worker (after warm-up
 *   pictures): what a person waits for between "reading your picture…" and the verdict when nobody
 *   else is sending one. Each round reads the same 24 pictures; medians of the rounds, with their spread
 *   (with 24 pictures a round, p99 is the round's slowest);
 * - pictures a second with the pool at OCR_WORKERS 1 and 2: a burst of 16 pictures sent at once to
 *   warm workers (queue long enough for all), from the first sent to the last read; each round in a
 *   fresh process, with the Dockerfile's Node options, the two worker counts taking turns;
 * - peak RSS of those processes while reading the burst, and what each worker adds to it (the peak
 *   less the process before its workers started, a share per worker: workers are threads of the process);
 * - busy refusals: a burst of three times what the pool holds (workers + queue, this machine's
 *   defaults) sent at once: how many are refused "busy", how many read, and how fast a refusal answers.
 * The pictures are corpus offers (test/fixtures/offers and offers-real, long ones cut to what one flyer
 * holds) drawn as flyers in the fidelity test's looks (test/helpers/pictures.ts: DejaVu fonts, 18–30 px,
 * colours, within ±2°, PNG or JPEG), 400–900 px wide, so every picture is brought up to 1,200 px
 * wide before it is read (prepare()).
 *
 * Run directly: `npx tsx bench/ocr.ts`; from the bench runner (`npm run bench -- ocr`): `await benchOcr()`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DOCKER_NODE_OPTIONS } from './waspada-env.js';

const HERE = fileURLToPath(import.meta.url);
/** Compiled (dist/bench, run by npm run bench) or from source (tsx). */
const COMPILED = HERE.includes(`${path.sep}dist${path.sep}`);

const SINGLE_PICTURES = 24;
const SINGLE_ROUNDS = 3;
const WARM_UP = 4;
const BURST = 16;
const BURST_ROUNDS = 3;
const BUSY_ROUNDS = 3;

interface Picture {
  bytes: Buffer;
  chars: number;
  width: number;
}

/** `n` corpus offers drawn as flyers, from the `from`-th on (every 7th offer of the corpus and the real ones, in turn). */
async function drawPictures(n: number, from = 0): Promise<Picture[]> {
  const { loadCorpus, loadReal } = await import('../src/checker/corpus.js');
  const { drawText, flyerLook, flyerText } = await import('../test/helpers/pictures.js');
  const sharp = (await import('sharp')).default;
  const corpus = loadCorpus();
  const real = loadReal();
  const out: Picture[] = [];
  for (let i = from; i < from + n; i++) {
    const pool = i % 2 ? real : corpus;
    const text = flyerText(pool[(i * 7) % pool.length]!.text);
    const bytes = await drawText(text, flyerLook(i).look);
    out.push({ bytes, chars: text.length, width: (await sharp(bytes).metadata()).width ?? 0 });
  }
  return out;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const median = (xs: number[]) => quantile(xs, 0.5);
const round = (x: number, digits = 0) => Number(x.toFixed(digits));
const spread = (xs: number[], digits = 0) => `${round(Math.min(...xs), digits)}–${round(Math.max(...xs), digits)}`;
const mb = (bytes: number) => bytes / 2 ** 20;

/** Samples the process's RSS every 10 ms until stopped: the highest seen. */
function rssPeak(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

interface BurstRun {
  workers: number;
  pictures_per_s: number;
  wall_ms: number;
  failed: number;
  start_ms: number;
  rss_before_workers_mb: number;
  peak_rss_mb: number;
}

/** One round of the burst, in this (fresh) process: warm workers, then BURST pictures at once. */
export async function burstRound(workers: number): Promise<BurstRun> {
  const { PictureReader } = await import('../src/ocr/index.js');
  // The same burst for every worker count; a warm-up picture of their own for the workers.
  const warmUp = await drawPictures(workers, 90);
  const pictures = await drawPictures(BURST, 100);
  const rss0 = process.memoryUsage().rss;
  const reader = new PictureReader({ workers, queue: BURST });
  const t0 = performance.now();
  await reader.warm();
  const startMs = performance.now() - t0;
  const stop = rssPeak();
  // One picture for each worker first: the first read of a worker is slower than the rest.
  await Promise.all(warmUp.map((p) => reader.read(p.bytes)));
  const t1 = performance.now();
  const readings = await Promise.all(pictures.map((p) => reader.read(p.bytes)));
  const wall = performance.now() - t1;
  const peak = stop();
  await reader.close();
  return {
    workers,
    pictures_per_s: BURST / (wall / 1000),
    wall_ms: wall,
    failed: readings.filter((r) => !r.ok).length,
    start_ms: startMs,
    rss_before_workers_mb: mb(rss0),
    peak_rss_mb: mb(peak),
  };
}

/** A burst round in a fresh process with the production Node options: its figures. */
function burstInChild(workers: number): Promise<BurstRun> {
  const args = COMPILED ? [...DOCKER_NODE_OPTIONS, HERE, 'burst', String(workers)] : ['--import', 'tsx', HERE, 'burst', String(workers)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as BurstRun) : reject(new Error(`burst round with ${workers} workers exited ${code}`))));
  });
}

export async function benchOcr(): Promise<Record<string, number | string>> {
  const { PictureReader, defaultOcrWorkers } = await import('../src/ocr/index.js');
  const log = (s: string) => process.stderr.write(`  ocr: ${s}\n`);
  const figures: Record<string, number | string> = {};
  const pictures = await drawPictures(SINGLE_PICTURES + WARM_UP);
  const measured = pictures.slice(WARM_UP);
  figures.picture_chars_mean = Math.round(measured.reduce((n, p) => n + p.chars, 0) / measured.length);
  figures.picture_width_px_p50 = median(measured.map((p) => p.width));
  let failed = 0;

  // One picture at a time, one warm worker.
  log(`one picture at a time: ${SINGLE_ROUNDS} rounds of ${SINGLE_PICTURES}`);
  const single = new PictureReader({ workers: 1 });
  await single.warm();
  for (const p of pictures.slice(0, WARM_UP)) await single.read(p.bytes);
  const p50s: number[] = [];
  const p99s: number[] = [];
  const means: number[] = [];
  for (let r = 0; r < SINGLE_ROUNDS; r++) {
    const ms: number[] = [];
    for (const p of measured) {
      const reading = await single.read(p.bytes);
      if (!reading.ok) failed++;
      ms.push(reading.ms);
    }
    p50s.push(quantile(ms, 0.5));
    p99s.push(quantile(ms, 0.99));
    means.push(ms.reduce((a, b) => a + b, 0) / ms.length);
  }
  await single.close();
  figures.ms_per_picture_p50 = median(p50s);
  figures.ms_per_picture_p50_spread = spread(p50s);
  figures.ms_per_picture_p99 = median(p99s);
  figures.ms_per_picture_p99_spread = spread(p99s);
  figures.ms_per_picture_mean = round(median(means));
  figures.ms_per_picture_mean_spread = spread(means);

  // Bursts, each round in a fresh process, the worker counts taking turns.
  const runs: BurstRun[] = [];
  for (let r = 0; r < BURST_ROUNDS; r++) {
    for (const workers of r % 2 ? [2, 1] : [1, 2]) {
      log(`burst of ${BURST} with ${workers} worker(s), round ${r + 1}/${BURST_ROUNDS}`);
      runs.push(await burstInChild(workers));
    }
  }
  for (const workers of [1, 2]) {
    const mine = runs.filter((x) => x.workers === workers);
    const key = workers === 1 ? '1_worker' : `${workers}_workers`;
    const perWorker = mine.map((x) => (x.peak_rss_mb - x.rss_before_workers_mb) / workers);
    failed += mine.reduce((n, x) => n + x.failed, 0);
    figures[`pictures_per_s_${key}`] = round(median(mine.map((x) => x.pictures_per_s)), 2);
    figures[`pictures_per_s_${key}_spread`] = spread(mine.map((x) => x.pictures_per_s), 2);
    figures[`peak_rss_mb_${key}`] = round(median(mine.map((x) => x.peak_rss_mb)));
    figures[`peak_rss_mb_${key}_spread`] = spread(mine.map((x) => x.peak_rss_mb));
    figures[`rss_mb_per_worker_${key}`] = round(median(perWorker));
    figures[`rss_mb_per_worker_${key}_spread`] = spread(perWorker);
    figures[`worker_start_ms_${key}`] = round(median(mine.map((x) => x.start_ms)));
    figures[`worker_start_ms_${key}_spread`] = spread(mine.map((x) => x.start_ms));
  }
  figures.rss_mb_before_workers = round(median(runs.map((x) => x.rss_before_workers_mb)));

  // A full queue: this machine's defaults (OCR_WORKERS = cores less one, OCR_QUEUE = 4 a worker).
  const workers = defaultOcrWorkers();
  const holds = workers + workers * 4;
  const burst = holds * 3;
  const busyPictures = await drawPictures(burst, 200);
  const refused: number[] = [];
  const read: number[] = [];
  const refusalMs: number[] = [];
  for (let r = 0; r < BUSY_ROUNDS; r++) {
    log(`busy: ${burst} pictures at once to ${workers} worker(s) and a queue of ${workers * 4}, round ${r + 1}/${BUSY_ROUNDS}`);
    const reader = new PictureReader({ workers });
    await reader.warm();
    const readings = await Promise.all(busyPictures.map((p) => reader.read(p.bytes)));
    const busy = readings.filter((x) => !x.ok && x.failure === 'busy');
    refused.push(busy.length);
    read.push(readings.filter((x) => x.ok).length);
    failed += readings.length - busy.length - readings.filter((x) => x.ok).length;
    refusalMs.push(...busy.map((x) => x.ms));
    // The pool goes on: the next picture is read.
    if (!(await reader.read(busyPictures[0]!.bytes)).ok) failed++;
    await reader.close();
  }
  figures.busy_burst = burst;
  figures.busy_pool_holds = holds;
  figures.busy_refused = median(refused);
  figures.busy_refused_spread = spread(refused);
  figures.busy_read = median(read);
  figures.busy_read_spread = spread(read);
  figures.busy_refusal_ms_p50 = refusalMs.length ? round(quantile(refusalMs, 0.5)) : 'none refused';
  figures.failed_reads = failed;

  const rows = runs.map((x, i) => `| ${Math.floor(i / 2) + 1} | ${x.workers} | ${x.pictures_per_s.toFixed(2)} | ${Math.round(x.wall_ms)} | ${Math.round(x.start_ms)} | ${Math.round(x.rss_before_workers_mb)} | ${Math.round(x.peak_rss_mb)} | ${x.failed} |`);
  figures.markdown = [
    `Pictures: corpus offers drawn as flyers (mean ${figures.picture_chars_mean} characters, median width ${figures.picture_width_px_p50} px, brought to 1,200 px before reading). One at a time: ${SINGLE_ROUNDS} rounds of ${SINGLE_PICTURES} pictures after ${WARM_UP} warm-up pictures, one worker; p99 of a round of ${SINGLE_PICTURES} is its slowest picture. Busy: ${burst} pictures sent at once to this machine's default pool (${workers} worker(s), queue ${workers * 4}); a refused picture was prepared (sharp) before the full queue refused it, which is most of its ms.`,
    '',
    `Bursts of ${BURST} pictures to warm workers, each round in a fresh process with the Dockerfile's Node options:`,
    '',
    '| round | workers | pictures/s | burst ms | workers start ms | RSS before workers MB | peak RSS MB | failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'burst') {
    // Printed, then the process ends (sharp's threads would keep it a moment longer).
    burstRound(Number(process.argv[3])).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0)));
  } else {
    benchOcr().then((r) => {
      for (const [k, v] of Object.entries(r)) if (k !== 'markdown') console.log(`${k.padEnd(36)} ${v}`);
      console.log(`\n${r.markdown}`);
    });
  }
}
