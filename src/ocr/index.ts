// Reads the text in a picture (a flyer, a screenshot of a chat, a photographed notice) so the job-offer
// checker can judge it as if it had been pasted. The checker stays pure (text in, verdict out); this
// module turns pictures into text: it refuses what must not be decoded (src/ocr/image.ts), prepares the
// picture with sharp (upright, grey, a size tesseract reads well, contrast stretched) and reads it in
// a pool of tesseract.js workers (src/ocr/pool.ts). Pictures are handled in memory only: nothing is
// written to disk, and the text read is returned, never logged.
import { availableParallelism } from 'node:os';
import { MAX_PICTURE_PIXELS, refusePicture, type PictureRefusal } from './image.js';
import { OcrBusy, OcrPool, OcrStopping, OcrTimeout } from './pool.js';
import { cleanOcrText } from './text.js';

export { MAX_PICTURE_BYTES, MAX_PICTURE_PIXELS, pictureHeader, refusePicture } from './image.js';
export { OcrBusy, OcrTimeout } from './pool.js';
export { cleanOcrText, firstLines } from './text.js';

/** Why a picture's text was not read. */
export type PictureFailure =
  | PictureRefusal
  /** It claimed to be a picture but could not be decoded. */
  | 'broken'
  /** Reading it took longer than the time limit. */
  | 'timeout'
  /** Every worker busy and the queue full. */
  | 'busy'
  /** Read, but no text worth checking was found (a photo of people, handwriting, very small print). */
  | 'no_text'
  /** The readers are being closed (the process is stopping): to be read by the next one. */
  | 'stopping';

export type PictureReading =
  | { ok: true; text: string; confidence: number; ms: number }
  | { ok: false; failure: PictureFailure; ms: number };

export interface PictureReaderOptions {
  /** OCR workers (`OCR_WORKERS`; default the cores less one, at least one). */
  workers?: number;
  /** Pictures that may wait for a worker (`OCR_QUEUE`; default 4 per worker). */
  queue?: number;
  /** Longest one picture may take, preparing and reading (15 s). */
  timeoutMs?: number;
  /** `OCR_LANG_DIR`: where the folder of links to the trained data is made. */
  langDir?: string;
}

export const DEFAULT_OCR_TIMEOUT_MS = 15_000;
/** The cores less one, at least 1 and at most 4 (each worker holds its own models: a big host would hold dozens). */
export const defaultOcrWorkers = (): number => Math.min(4, Math.max(1, availableParallelism() - 1));

/** Width the picture is brought to when smaller or much larger: about 300 dpi for a phone-sized page. */
const SMALL_WIDTH = 1200;
/** Most pixels handed to a worker (tesseract's memory grows with them: 225 megapixels took 2 GB). */
export const MAX_PREPARED_PIXELS = 12_000_000;
const LARGE_WIDTH = 2600;

type Sharp = (typeof import('sharp'))['default'];
let sharpModule: Promise<Sharp> | null = null;
/** sharp (libvips) is loaded with the first picture: a process that reads none never pays for it. */
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((m) => {
    const sharp = m.default;
    // No cache of decoded pictures: a picture leaves memory once it is read.
    sharp.cache(false);
    return sharp;
  });
  return sharpModule;
}

export class PictureReader {
  private readonly pool: OcrPool;
  private readonly timeoutMs: number;
  /** Pictures taken in (being prepared, waiting or read) and the most at once: workers + queue. */
  private admitted = 0;
  private readonly admits: number;
  private closed = false;

  constructor(opts: PictureReaderOptions = {}) {
    const workers = opts.workers ?? defaultOcrWorkers();
    const queue = opts.queue ?? workers * 4;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_OCR_TIMEOUT_MS;
    this.admits = workers + queue;
    this.pool = new OcrPool({ workers, queue, timeoutMs: this.timeoutMs, langDir: opts.langDir });
  }

  /** For /healthz and the bench: workers, pictures being read and waiting, counts. */
  health(): Record<string, unknown> {
    return { workers: this.pool.size, ...this.pool.load, ...this.pool.counts };
  }

  /** Starts the workers now rather than on the first picture. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  /**
   * The text in a picture, or why it could not be read, within the time limit (`timeoutMs`, default the
   * reader's) counted from the call: preparing, waiting for a worker and reading. Never throws.
   */
  async read(bytes: Buffer, timeoutMs = this.timeoutMs): Promise<PictureReading> {
    const started = performance.now();
    const done = (r: { ok: true; text: string; confidence: number } | { ok: false; failure: PictureFailure }): PictureReading => ({
      ...r,
      ms: Math.round(performance.now() - started),
    });
    const refused = refusePicture(bytes);
    if (refused) return done({ ok: false, failure: refused });
    if (this.closed) return done({ ok: false, failure: 'stopping' });
    // Taken in only while there is room for it (workers + queue), before anything is decoded: a burst
    // is refused at once instead of being prepared (CPU and memory) only to wait in vain.
    if (this.admitted >= this.admits) {
      this.pool.counts.busy++;
      return done({ ok: false, failure: 'busy' });
    }
    this.admitted++;
    let left = true;
    const leave = () => {
      if (left) this.admitted--;
      left = false;
    };
    // sharp cannot be stopped once started: a picture whose preparation outlives its time keeps its
    // place until the preparation ends, so that abandoned work cannot pile up.
    const preparing = prepare(bytes, timeoutMs);
    let abandoned = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      let prepared: Buffer;
      try {
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new OcrTimeout(timeoutMs)), Math.max(1, timeoutMs)).unref();
        });
        prepared = await Promise.race([preparing, late]);
      } catch (e) {
        const msg = String((e as Error).message);
        if (e instanceof OcrTimeout || /timeout/i.test(msg)) {
          abandoned = e instanceof OcrTimeout;
          if (abandoned) void preparing.then(leave, leave);
          this.pool.counts.timeouts++;
          return done({ ok: false, failure: 'timeout' });
        }
        if (/pixel limit/i.test(msg)) return done({ ok: false, failure: 'too_many_pixels' });
        return done({ ok: false, failure: 'broken' });
      } finally {
        clearTimeout(timer);
      }
      const r = await this.pool.recognize(prepared, timeoutMs - (performance.now() - started));
      const text = cleanOcrText(r.text);
      if (!hasWords(text)) return done({ ok: false, failure: 'no_text' });
      return done({ ok: true, text, confidence: Math.round(r.confidence) });
    } catch (e) {
      if (e instanceof OcrBusy) return done({ ok: false, failure: 'busy' });
      if (e instanceof OcrTimeout) return done({ ok: false, failure: 'timeout' });
      if (e instanceof OcrStopping) return done({ ok: false, failure: 'stopping' });
      return done({ ok: false, failure: 'broken' });
    } finally {
      if (!abandoned) leave();
    }
  }

  /** Ends the workers; pictures being read or waiting come back as 'stopping'. */
  close(): Promise<void> {
    this.closed = true;
    return this.pool.close();
  }
}

/**
 * Upright (the camera's orientation tag), grey, brought to a width tesseract reads well, contrast
 * stretched, dark on light (a poster in light letters on a dark ground is turned over: tesseract reads
 * dark ink, and finding the light lines itself took it about twice as long); a lossless PNG for the
 * worker. The decoder is told the same pixel limit as the header check, so a picture whose header hid
 * its size is still refused before it is decoded.
 */
export async function prepare(bytes: Buffer, timeoutMs = DEFAULT_OCR_TIMEOUT_MS): Promise<Buffer> {
  const sharp = await loadSharp();
  const input = () => sharp(bytes, { limitInputPixels: MAX_PICTURE_PIXELS, failOn: 'error', animated: false });
  const meta = await input().metadata();
  const oriented = meta.orientation && meta.orientation >= 5 ? { w: meta.height, h: meta.width } : { w: meta.width, h: meta.height };
  const width = oriented.w ?? SMALL_WIDTH;
  const height = oriented.h ?? width;
  let target = width < SMALL_WIDTH ? Math.min(SMALL_WIDTH, width * 3) : width > LARGE_WIDTH ? LARGE_WIDTH : width;
  // A tall, narrow picture brought to a reading width would grow huge (400 × 62,500 to 1,200 × 187,500):
  // what the worker gets stays under MAX_PREPARED_PIXELS, whatever the shape.
  if (target * ((height * target) / width) > MAX_PREPARED_PIXELS) target = Math.max(1, Math.floor(Math.sqrt((MAX_PREPARED_PIXELS * width) / height)));
  const timeout = { seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) };
  // How light the picture is overall, from a thumbnail (a JPEG is decoded at a fraction of its size for it).
  const { channels } = await input().resize({ width: 64, height: 64, fit: 'inside' }).flatten({ background: '#ffffff' }).grayscale().timeout(timeout).stats();
  const darkGround = (channels[0]?.mean ?? 255) < DARK_GROUND;
  return input()
    .rotate()
    .flatten({ background: '#ffffff' })
    .grayscale()
    .resize({ width: target, kernel: 'lanczos3' })
    .negate(darkGround ? { alpha: false } : false)
    .normalise()
    .png({ compressionLevel: 1 })
    .timeout(timeout)
    .toBuffer();
}

/** Mean grey (0–255) under which a picture is mostly dark: light letters on a dark ground. */
const DARK_GROUND = 110;

/** At least three words of two or more letters: less is not text worth checking. */
function hasWords(text: string): boolean {
  return (text.match(/\p{L}{2,}/gu)?.length ?? 0) >= 3;
}
