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
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
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

function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/**
 * A folder holding every language's trained data (links to the npm packages' files), made once:
 * in a fresh folder first, then renamed into place, so processes starting together never see half of
 * it. Its name follows the files' paths, so an install elsewhere gets its own.
 */
export function languageFolder(base = join(tmpdir(), `waspada-ocr-${process.getuid?.() ?? 'user'}`)): string {
  const files = OCR_LANGS.map((l) => [l, trainedDataFile(l)] as const);
  const tag = createHash('sha256').update(files.map(([, f]) => f).join('\n')).digest('hex').slice(0, 12);
  const dir = join(base, tag);
  // Links made by someone else (the folder is under a shared temporary folder) are not followed:
  // each must point at the npm package's own file.
  const ours = () => files.every(([l, f]) => linkTarget(join(dir, `${l}.traineddata.gz`)) === f);
  if (ours()) return dir;
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const st = lstatSync(base);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0) {
    // Someone else's folder (or one others may write to): a private one of this process instead.
    const own = mkdtempSync(join(tmpdir(), 'waspada-ocr-'));
    for (const [l, f] of files) symlinkSync(f, join(own, `${l}.traineddata.gz`));
    return own;
  }
  const fresh = mkdtempSync(join(base, `.${tag}-`));
  for (const [l, f] of files) symlinkSync(f, join(fresh, `${l}.traineddata.gz`));
  try {
    renameSync(fresh, dir);
  } catch {
    // Another process got there first (or a broken folder is in the way: replaced).
    rmSync(fresh, { recursive: true, force: true });
    if (!ours()) {
      rmSync(dir, { recursive: true, force: true });
      return languageFolder(base);
    }
  }
  return dir;
}

/**
 * Ends a worker, one turn of the event loop later: a picture handed to it just now has then been
 * posted to its thread. tesseract.js posts it after a microtask, and a worker ended in between
 * throws inside tesseract.js where nobody can catch it (an unhandled rejection).
 */
function endWorker(w: TesseractWorker): Promise<unknown> {
  return new Promise((resolve) => setImmediate(resolve)).then(() => w.terminate());
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
/** The pool was closed (the process is stopping) before the picture was read. */
export class OcrStopping extends Error {
  constructor() {
    super('OCR pool closed');
  }
}

export interface OcrPoolOptions {
  /** Workers (each a thread with its own copy of the models, about 130–175 MB). */
  workers: number;
  /** Pictures that may wait for a worker; one more is refused with OcrBusy. */
  queue: number;
  /** Longest a picture may take, waiting for a worker and read (each call may give less). */
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
  /** Runs out at the picture's deadline, waiting or being read. */
  timer: NodeJS.Timeout;
  timeoutMs: number;
  /** The slot reading it, once one does. */
  slot?: Slot;
  settled: boolean;
}

export class OcrPool {
  private readonly slots: Slot[];
  private readonly waiting: Job[] = [];
  /** Pictures being read. */
  private readonly running = new Set<Job>();
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

  /** Starts every worker now (instead of on the first picture). */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.workerOf(s)));
  }

  /**
   * Reads the text of a prepared picture (an encoded PNG or JPEG) within `timeoutMs`, counted from now
   * (waiting for a worker included). Throws OcrBusy, OcrTimeout, OcrStopping.
   */
  recognize(image: Buffer, timeoutMs = this.opts.timeoutMs): Promise<OcrText> {
    if (this.closed) return Promise.reject(new OcrStopping());
    return new Promise<OcrText>((resolve, reject) => {
      const idle = this.slots.find((s) => !s.busy);
      if (!idle && this.waiting.length >= this.opts.queue) {
        this.counts.busy++;
        return reject(new OcrBusy());
      }
      const job: Job = { image, resolve, reject, timeoutMs, settled: false, timer: setTimeout(() => this.expire(job), Math.max(1, timeoutMs)) };
      job.timer.unref();
      if (idle) this.run(idle, job);
      else this.waiting.push(job);
    });
  }

  /** Settles a job once: its timer stops, and its slot (if any) takes the next picture. */
  private settle(job: Job, outcome: { ok: OcrText } | { error: Error }): void {
    if (job.settled) return;
    job.settled = true;
    this.running.delete(job);
    clearTimeout(job.timer);
    if ('ok' in outcome) job.resolve(outcome.ok);
    else job.reject(outcome.error);
  }

  /** The picture's time ran out: waiting, it leaves the queue; being read, its worker is ended and replaced. */
  private expire(job: Job): void {
    if (job.settled) return;
    this.counts.timeouts++;
    const waiting = this.waiting.indexOf(job);
    if (waiting >= 0) this.waiting.splice(waiting, 1);
    const slot = job.slot;
    if (slot) {
      // The worker may go on for a long time: end it; the slot starts another for the next picture.
      const stuck = slot.worker;
      slot.worker = null;
      void stuck?.then(endWorker).catch(() => undefined);
      this.free(slot);
    }
    this.settle(job, { error: new OcrTimeout(job.timeoutMs) });
  }

  private workerOf(slot: Slot): Promise<TesseractWorker> {
    if (!slot.worker) {
      this.counts.started++;
      const starting = this.start();
      slot.worker = starting;
      // A worker that failed to start is started again for the next picture (unless another replaced it meanwhile).
      starting.catch(() => {
        if (slot.worker === starting) slot.worker = null;
      });
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
    job.slot = slot;
    this.running.add(job);
    const worker = this.workerOf(slot);
    // A worker still starting when the time ran out is ended as soon as it is up: it gets no picture.
    worker
      .then((w) => {
        if (job.settled) throw new OcrTimeout(job.timeoutMs);
        return w.recognize(job.image);
      })
      .then(
        (r) => {
          if (job.settled) return;
          this.counts.read++;
          this.settle(job, { ok: { text: r.data.text ?? '', confidence: r.data.confidence ?? 0 } });
          this.free(slot);
        },
        (e: unknown) => {
          if (job.settled) return;
          this.settle(job, { error: e instanceof Error ? e : new Error(String(e)) });
          this.free(slot);
        },
      );
  }

  /** A slot done with its picture takes the next one waiting. */
  private free(slot: Slot): void {
    slot.busy = false;
    const next = this.waiting.shift();
    if (next && !this.closed) this.run(slot, next);
  }

  /** Ends every worker; pictures waiting or being read are refused as OcrStopping (to be read by the next process). */
  async close(): Promise<void> {
    this.closed = true;
    const jobs = [...this.waiting.splice(0)];
    for (const s of this.slots) s.busy = false;
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        if (w) await w.then(endWorker).catch(() => undefined);
      }),
    );
    for (const job of jobs) this.settle(job, { error: new OcrStopping() });
    for (const job of [...this.running]) this.settle(job, { error: new OcrStopping() });
  }
}
