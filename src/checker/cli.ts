/**
 * Command line for the job-offer checker.
 *
 *   npm run --silent check-offer -- --json  < offer.txt     one offer on stdin → one JSON verdict
 *   npm run --silent check-offer -- --jsonl < offers.jsonl  lines {"id","text"} → one verdict line each, same id, same order
 *   npm run --silent check-offer -- --lang en < offer.txt   human-readable verdict in Indonesian (id, default) or English
 *   npm run --silent check-offer -- --image flyer.jpg --json  the text in a picture (OCR) → the verdict plus "ocr": { text, confidence }
 *
 * With --json/--jsonl, adding --lang id|en also adds a "text" object with the human texts. In --jsonl,
 * a line may carry "image": PATH instead of (or besides, as a caption) "text"; a picture that cannot be
 * read gives { "id", "error" } and the batch goes on. A picture that cannot be read with --image exits 2.
 *
 * The checker itself stays pure (text in, verdict out): pictures are read by src/ocr/, loaded only here.
 */
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { checkOffer, type Verdict } from './index.js';
import { HEADING_ICON, headingText, verdictContacts, verdictHeading } from './heading.js';
import type { ReferenceData } from '../content/data.js';
import { REPO_ROOT } from './facts.js';

interface LocaleFile {
  flag: Record<string, { title: string; explain: string }>;
  advice: Record<string, string>;
  note: Record<string, string>;
  risk: Record<string, string>;
  verdict: Record<string, string>;
}

/** A locale text with its {{vars}} filled in (what i18next does in the chat). */
function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (vars[k] !== undefined ? String(vars[k]) : m));
}

/** A note as the chat says it: how much of a long text was read, in characters. */
function noteText(v: Verdict, n: string, loc: LocaleFile): string {
  const text = loc.note[n] ?? n;
  return n === 'truncated' && v.read ? fill(text, { read: v.read.chars.toLocaleString(lang), of: v.read.of.toLocaleString(lang) }) : text;
}

const args = process.argv.slice(2);
const langArg = args.includes('--lang') ? args[args.indexOf('--lang') + 1] : undefined;
const lang = langArg === 'en' ? 'en' : 'id';

function locale(): LocaleFile {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'locales', lang, 'checker.json'), 'utf8')) as LocaleFile;
}

function withText(v: Verdict, loc: LocaleFile) {
  return {
    ...v,
    text: {
      risk: loc.risk[v.risk] ?? v.risk,
      flags: v.flags.map((f) => ({ id: f.id, title: loc.flag[f.id]?.title ?? f.id, explain: loc.flag[f.id]?.explain ?? '' })),
      advice: v.advice.map((a) => loc.advice[a] ?? a),
      notes: v.notes.map((n) => noteText(v, n, loc)),
    },
  };
}

/**
 * The verdict as the chat heads it (heading.ts): no level for a text too short to judge, never a green
 * "low" above a warning sign, and in plain words: no score, which would read as a falsely exact figure.
 */
function human(v: Verdict, loc: LocaleFile, data: ReferenceData): string {
  const lines: string[] = [];
  const heading = verdictHeading(v);
  if (heading !== 'unclear') lines.push(fill(loc.verdict[headingText(v, heading)] ?? heading, { icon: HEADING_ICON[heading] }));
  for (const n of v.notes) lines.push(`  ! ${noteText(v, n, loc)}`);
  for (const f of v.flags) {
    const t = loc.flag[f.id];
    lines.push(`${f.weight > 0 ? '⚠' : '✓'} ${t?.title ?? f.id}: ${t?.explain ?? ''}`);
    for (const e of f.evidence) lines.push(`    “${e}”`);
  }
  const facts = v.facts;
  const factBits = [facts.country && `${facts.country}${facts.destination ? ` (${facts.destination})` : ''}`, facts.job, ...(facts.pay ?? []).map((p) => `${p.amount} ${p.currency}${p.perMonthIdr ? ` ≈ Rp ${p.perMonthIdr.toLocaleString('id-ID')}/bln` : ''}`)].filter(Boolean);
  if (factBits.length) lines.push(`• ${factBits.join(' · ')}`);
  for (const a of v.advice) lines.push(`→ ${loc.advice[a] ?? a}`);
  // The contacts the chat shows below its advice, from the reviewed data (data/contacts.yaml).
  if (heading !== 'unclear') {
    for (const id of verdictContacts(v, data)) {
      const c = data.contacts.get(id);
      if (c) lines.push(`☎ ${c.name[lang]}: ${c.channels.map((ch) => ch.value).join(' · ')}`);
    }
  }
  return lines.join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

type Reader = import('../ocr/index.js').PictureReader;
let reader: Reader | null = null;
let starting: Promise<Reader> | null = null;
/** The one picture reader of this run (lines read at once share it: made once, closed at the end). */
function pictures(): Promise<Reader> {
  starting ??= (async () => {
    const { PictureReader } = await import('../ocr/index.js');
    const { loadConfig } = await import('../config.js');
    const config = loadConfig();
    // Every line of a batch waits its turn: the queue holds them all, nothing is refused as busy, and a
    // picture's time limit allows for the few read before it (at most a window of lines is in flight).
    reader = new PictureReader({ workers: config.OCR_WORKERS, queue: 1_000_000, langDir: config.OCR_LANG_DIR, timeoutMs: config.OCR_TIMEOUT_SECONDS * 1000 * 4 });
    return reader;
  })();
  return starting;
}

/** The text in the picture at `file`, or why it could not be read (a file that is not there, too big…). */
async function readPicture(file: string): Promise<{ text: string; confidence: number } | { error: string }> {
  const { MAX_PICTURE_BYTES } = await import('../ocr/image.js');
  let bytes: Buffer;
  try {
    if ((await stat(file)).size > MAX_PICTURE_BYTES) return { error: 'too_large' };
    bytes = await readFile(file);
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no_such_file' : 'unreadable_file' };
  }
  const r = await (await pictures()).read(bytes);
  return r.ok ? { text: r.text, confidence: r.confidence } : { error: r.failure };
}

/** One --jsonl line's answer. */
async function lineVerdict(line: string, loc: LocaleFile | undefined): Promise<string> {
  let id: unknown = null;
  let text = '';
  let error: string | undefined;
  let ocr: { text: string; confidence: number } | undefined;
  try {
    const obj = JSON.parse(line) as { id?: unknown; text?: unknown; image?: unknown };
    id = obj.id ?? null;
    if (typeof obj.image === 'string') {
      const read = await readPicture(obj.image);
      if ('error' in read) return `${JSON.stringify({ id, error: read.error })}\n`;
      ocr = read;
      text = [typeof obj.text === 'string' ? obj.text.trim() : '', read.text].filter(Boolean).join('\n\n');
    } else {
      text = typeof obj.text === 'string' ? obj.text : '';
      if (typeof obj.text !== 'string') error = 'missing_text';
    }
  } catch {
    error = 'invalid_json';
  }
  const v = checkOffer(text);
  return `${JSON.stringify({ id, ...(loc ? withText(v, loc) : v), ...(ocr ? { ocr } : {}), ...(error ? { error } : {}) })}\n`;
}

async function main() {
  const loc = langArg ? locale() : undefined;
  try {
    await run(loc);
  } finally {
    await reader?.close();
  }
}

async function run(loc: LocaleFile | undefined) {
  if (args.includes('--jsonl')) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    const out: string[] = [];
    const flush = () => {
      if (out.length) process.stdout.write(out.join(''));
      out.length = 0;
    };
    // Lines are answered in order; pictures are read by the pool meanwhile (a window of lines in flight).
    const inFlight: Promise<string>[] = [];
    const window = 8;
    for await (const line of rl) {
      if (!line.trim()) continue;
      inFlight.push(lineVerdict(line, loc));
      while (inFlight.length >= window) out.push(await inFlight.shift()!);
      if (out.length >= 100) flush();
    }
    for (const p of inFlight) out.push(await p);
    flush();
    return;
  }
  const image = args.includes('--image') ? args[args.indexOf('--image') + 1] : undefined;
  if (args.includes('--image') && (!image || image.startsWith('--'))) throw new Error('--image needs a file: --image flyer.jpg');
  let ocr: { text: string; confidence: number } | undefined;
  if (image) {
    const read = await readPicture(image);
    if ('error' in read) {
      process.stdout.write(args.includes('--json') ? `${JSON.stringify({ error: read.error })}\n` : `check-offer: the picture could not be read: ${read.error}\n`);
      process.exitCode = 2;
      return;
    }
    ocr = read;
  }
  const input = ocr ? ocr.text : await readStdin();
  const v = checkOffer(input);
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ ...(loc ? withText(v, loc) : v), ...(ocr ? { ocr } : {}) })}\n`);
  } else {
    // (the reader's confidence is in --json's "ocr": as a percentage here it would read as the verdict's)
    const read = ocr ? `${lang === 'en' ? 'Text read from the picture' : 'Teks yang terbaca dari gambar'}:\n${ocr.text}\n\n` : '';
    // The reviewed data (and the YAML and schema code that read it) only for this human reply: loading
    // them took 45 ms of the --json command's start-up, which shows none of it.
    const { loadReferenceData } = await import('../content/data.js');
    process.stdout.write(`${read}${human(v, loc ?? locale(), loadReferenceData(path.join(REPO_ROOT, 'data')))}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`check-offer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
