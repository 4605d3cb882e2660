// A pool of OCR workers (tesseract.js, each in its own worker thread, so reading a picture never
// blocks the event loop). Workers start on the first picture and are kept warm; pictures wait in a
// bounded queue, and one more than it holds is refused at once ("busy"). A picture that takes longer
// than the time limit is given up and its worker replaced, so a hostile picture cannot hold a worker.
//
// Indonesian and English trained data come from the npm packages @tesseract.js-data/ind and
// @tesseract.js-data/eng (the LSTM "best_int" models): nothing is downloaded at run time. tesseract.js
// wants both in one folder; they sit in two packages, so a folder of links to them is made on first use
// (`OCR_LANG_DIR`, default under the system's temporary folder), shared by every process.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Worker as TesseractWorker } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** The languages read, most likely first (a picture's words are matched against both). */
export const OCR_LANGS = ['ind', 'eng'] as const;

/** One language's trained data in its npm package (never fetched: tesseract.js's default is a CDN). */
export function trainedDataFile(lang: (typeof OCR_LANGS)[number]): string {
  const dir = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  return join(dir, '4.0.0_best_int', `${lang}.traineddata.gz`);
}

/**
 * A folder holding every language's trained data (links to the npm packages' files), made once:
 * in a fresh folder first, then renamed into place, so processes starting together never see half of
 * it. Its name follows the files' paths, so an install elsewhere gets its own.
 */
export function languageFolder(base = join(tmpdir(), 'waspada-ocr')): string {
  const files = OCR_LANGS.map((l) => [l, trainedDataFile(l)] as const);
  const tag = createHash('sha256').update(files.map(([, f]) => f).join('\n')).digest('hex').slice(0, 12);
  const dir = join(base, tag);
  if (files.every(([l]) => existsSync(join(dir, `${l}.traineddata.gz`)))) return dir;
  mkdirSync(base, { recursive: true });
  const fresh = mkdtempSync(join(base, `.${tag}-`));
  for (const [l, f] of files) symlinkSync(f, join(fresh, `${l}.traineddata.gz`));
  try {
    renameSync(fresh, dir);
  } catch {
    // Another process got there first (or a broken folder is in the way: replaced).
    rmSync(fresh, { recursive: true, force: true });
    if (!files.every(([l]) => existsSync(join(dir, `${l}.traineddata.gz`)))) {
      rmSync(dir, { recursive: true, force: true });
      return languageFolder(base);
    }
  }
  return dir;
}

export class OcrBusy extends Error {
  constructor() {
    super('every OCR worker is busy and the queue is full');
  }
}
export class OcrTimeout extends Error {
  constructor(ms: number) {
    super(`reading the picture took longer than ${ms} ms`);
  }
}

export interface OcrPoolOptions {
  /** Workers (each a thread with its own copy of the models, about 130–175 MB). */
  workers: number;
  /** Pictures that may wait for a worker; one more is refused with OcrBusy. */
  queue: number;
  /** Longest a worker may take over one picture. */
  timeoutMs: number;
  /** Where the folder of links to the trained data is made (default: under the system's temporary folder). */
  langDir?: string;
}

export interface OcrText {
  text: string;
  /** tesseract's mean word confidence, 0–100. */
  confidence: number;
}

interface Slot {
  worker: Promise<TesseractWorker> | null;
  busy: boolean;
}

interface Job {
  image: Buffer;
  resolve: (r: OcrText) => void;
  reject: (e: Error) => void;
}

export class OcrPool {
  private readonly slots: Slot[];
  private readonly waiting: Job[] = [];
  private langPath: string | null = null;
  private closed = false;
  /** Pictures read, refused as busy, given up after the time limit; workers started. */
  readonly counts = { read: 0, busy: 0, timeouts: 0, started: 0 };

  constructor(private readonly opts: OcrPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, opts.workers) }, () => ({ worker: null, busy: false }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Pictures being read and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.busy).length, waiting: this.waiting.length };
  }

  /** Every worker busy and the queue full: a picture now would be refused (checked before preparing one). */
  get full(): boolean {
    return this.slots.every((s) => s.busy) && this.waiting.length >= this.opts.queue;
  }

  /** Starts every worker now (instead of on the first picture). */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.workerOf(s)));
  }

  /** Reads the text of a prepared picture (an encoded PNG or JPEG). Throws OcrBusy, OcrTimeout. */
  recognize(image: Buffer): Promise<OcrText> {
    if (this.closed) return Promise.reject(new Error('OCR pool closed'));
    return new Promise<OcrText>((resolve, reject) => {
      const idle = this.slots.find((s) => !s.busy);
      const job = { image, resolve, reject };
      if (idle) return void this.run(idle, job);
      if (this.waiting.length >= this.opts.queue) {
        this.counts.busy++;
        return reject(new OcrBusy());
      }
      this.waiting.push(job);
    });
  }

  private workerOf(slot: Slot): Promise<TesseractWorker> {
    if (!slot.worker) {
      this.counts.started++;
      slot.worker = this.start();
      // A worker that failed to start is started again for the next picture.
      slot.worker.catch(() => (slot.worker = null));
    }
    return slot.worker;
  }

  private async start(): Promise<TesseractWorker> {
    const { createWorker, OEM } = (await import('tesseract.js')).default;
    this.langPath ??= languageFolder(this.opts.langDir);
    const worker = await createWorker([...OCR_LANGS], OEM.LSTM_ONLY, {
      langPath: this.langPath,
      // Read from the folder each time a worker starts; never written anywhere (the default writes a cache to the working folder).
      cacheMethod: 'none',
      gzip: true,
      logger: () => undefined,
      errorHandler: () => undefined,
    });
    // Pictures are prepared to about 300 dpi worth of pixels; saying so spares tesseract its guess.
    await worker.setParameters({ user_defined_dpi: '300', preserve_interword_spaces: '0' });
    return worker;
  }

  private run(slot: Slot, job: Job): void {
    slot.busy = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OcrTimeout(this.opts.timeoutMs)), this.opts.timeoutMs);
    });
    let late = false;
    // A worker still starting when the time ran out is ended as soon as it is up: it gets no picture.
    const work = this.workerOf(slot).then((w) => {
      if (late) throw new OcrTimeout(this.opts.timeoutMs);
      return w.recognize(job.image);
    });
    work.catch(() => undefined);
    Promise.race([work, timeout])
      .then(
        (r) => {
          this.counts.read++;
          job.resolve({ text: r.data.text ?? '', confidence: r.data.confidence ?? 0 });
        },
        (e: Error) => {
          if (e instanceof OcrTimeout) {
            late = true;
            this.counts.timeouts++;
            // The worker may go on for a long time: end it, and start another for the next picture.
            const stuck = slot.worker;
            slot.worker = null;
            void stuck?.then((w) => w.terminate()).catch(() => undefined);
          }
          job.reject(e instanceof Error ? e : new Error(String(e)));
        },
      )
      .finally(() => {
        clearTimeout(timer);
        slot.busy = false;
        const next = this.waiting.shift();
        if (next && !this.closed) this.run(slot, next);
      });
  }

  /** Ends every worker; pictures still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('OCR pool closed'));
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        if (w) await w.then((x) => x.terminate()).catch(() => undefined);
      }),
    );
  }
}
