/**
 * Normalisation of messy chat text, with an offset map back to the original.
 *
 * The checker's rules run on the normalised text (lower case, ASCII-folded, emojis removed,
 * repeated letters collapsed, chat abbreviations expanded) but quote evidence from the ORIGINAL
 * text: every character of the normalised text remembers the [start, end) range of original
 * characters it came from.
 *
 * One pass over the text, linear in its length: characters are folded one at a time into reused
 * scratch buffers (a word buffer and the output, each with parallel typed arrays for the offsets),
 * so a check allocates no object per character.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Sub-path import: never `import 'natural'` (its index pulls in database drivers). Loaded with this
// module, not on the first word it stems: every check stems, and a check run right after loading it
// is faster (measured: the command line starts about 80 ms sooner than with it loaded mid-check).
const stemmerId = require('natural/lib/natural/stemmers/indonesian/stemmer_id.js') as {
  stem(token: string): string;
};

export interface Normalised {
  /** normalised text: lower case ASCII, single spaces, punctuation kept */
  text: string;
  /** original start offset of each normalised character (UTF-16 code unit) */
  start: Int32Array;
  /** original end offset (exclusive) of each normalised character */
  end: Int32Array;
}

/**
 * Chat abbreviations and slang → standard form. Keys are single normalised tokens; values may be
 * several words. Kept deliberately to unambiguous forms.
 */
export const SLANG: Readonly<Record<string, string>> = {
  // negation
  tdk: 'tidak', tak: 'tidak', gk: 'tidak', gak: 'tidak', ga: 'tidak', nggak: 'tidak', ngga: 'tidak',
  enggak: 'tidak', engga: 'tidak', ngk: 'tidak', gx: 'tidak', kagak: 'tidak', ndak: 'tidak', gausah: 'tidak usah',
  gaperlu: 'tidak perlu', gakperlu: 'tidak perlu', tdkperlu: 'tidak perlu',
  tnp: 'tanpa', tanpa: 'tanpa',
  // experience / qualifications
  pglmn: 'pengalaman', pngalaman: 'pengalaman', pengalamn: 'pengalaman', pgalaman: 'pengalaman',
  pengalman: 'pengalaman', pglman: 'pengalaman', exp: 'experience', ijasah: 'ijazah',
  // jobs
  loker: 'lowongan kerja', lowker: 'lowongan kerja', loket: 'loket', krja: 'kerja', krj: 'kerja',
  kerjaan: 'pekerjaan', cs: 'customer service', abk: 'anak buah kapal', tkw: 'pekerja migran',
  tki: 'pekerja migran', pmi: 'pekerja migran', cpmi: 'calon pekerja migran', art: 'art', prt: 'prt',
  // money
  jt: 'juta', jta: 'juta', jtan: 'jutaan', juta: 'juta', rb: 'ribu', rbu: 'ribu', ribu: 'ribu',
  gede: 'besar', gde: 'besar', trf: 'transfer', tf: 'transfer', adm: 'admin', dp: 'uang muka',
  // contacts
  wa: 'whatsapp', whatsap: 'whatsapp', watsap: 'whatsapp', wasap: 'whatsapp', wea: 'whatsapp',
  tele: 'telegram', tg: 'telegram', japri: 'japri', hp: 'handphone',
  // travel
  ln: 'luar negeri', negri: 'negeri', brgkt: 'berangkat', brkt: 'berangkat', berangkt: 'berangkat',
  brangkat: 'berangkat', pasport: 'paspor', passpor: 'paspor', pasport2: 'paspor', vissa: 'visa',
  voa: 'visa on arrival', pp: 'pulang pergi',
  // function words
  yg: 'yang', dgn: 'dengan', dg: 'dengan', utk: 'untuk', untk: 'untuk', krn: 'karena', karna: 'karena',
  sdh: 'sudah', udh: 'sudah', udah: 'sudah', blm: 'belum', blum: 'belum', bs: 'bisa', bsa: 'bisa',
  lgsg: 'langsung', lgsng: 'langsung', lgsung: 'langsung', langsng: 'langsung', bln: 'bulan',
  thn: 'tahun', hr: 'hari', org: 'orang', jd: 'jadi', jdi: 'jadi', cpt: 'cepat', bgt: 'banget',
  dl: 'dulu', dlu: 'dulu', aja: 'saja', aj: 'saja', sj: 'saja', trs: 'terus', skrg: 'sekarang',
  skrang: 'sekarang', mau: 'mau', mo: 'mau', pengen: 'ingin', pgn: 'ingin', dr: 'dari', dri: 'dari',
  klo: 'kalau', kalo: 'kalau', tp: 'tapi', tpi: 'tapi', sm: 'sama', msh: 'masih',
  lg: 'lagi', lgi: 'lagi', bnyk: 'banyak', byk: 'banyak', smua: 'semua', sma2: 'sama-sama',
  gmn: 'bagaimana', gimana: 'bagaimana', knp: 'kenapa', dmn: 'di mana', ato: 'atau', atw: 'atau',
  bro: 'bro', sis: 'sis', kak: 'kak', min: 'min', info: 'info', infonya: 'info',
  u: 'you', ur: 'your', pls: 'please', plz: 'please', asap: 'as soon as possible', dm: 'dm', pm: 'pm',
};

/** Words whose Indonesian stem is misleading (the stemmer over-stems "pengalaman" to "alam"). */
const STEM_PROTECT: Readonly<Record<string, string>> = {
  pengalaman: 'pengalaman', berpengalaman: 'pengalaman', pengalamannya: 'pengalaman',
  perusahaan: 'perusahaan', penempatan: 'penempatan', pemberangkatan: 'berangkat',
  keberangkatan: 'berangkat', pelatihan: 'pelatihan', perjanjian: 'perjanjian', persyaratan: 'syarat',
  pekerja: 'pekerja', pekerjaan: 'pekerjaan', penipuan: 'tipu', pemandu: 'pemandu',
  customer: 'customer', service: 'service', marketing: 'marketing', online: 'online',
  paspor: 'paspor', visa: 'visa', agen: 'agen', agensi: 'agensi', kapal: 'kapal', kamboja: 'kamboja',
};

const STEM_PROTECT_MAP: ReadonlyMap<string, string> = new Map(Object.entries(STEM_PROTECT));

const COMBINING = /[\u0300-\u036f]/g;

function isEmojiOrSymbol(cp: number): boolean {
  return (
    (cp >= 0x1f000 && cp <= 0x1faff) || // emoji, pictographs, flags
    (cp >= 0x2600 && cp <= 0x27bf) || // misc symbols, dingbats
    (cp >= 0x2b00 && cp <= 0x2bff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    cp === 0x200d || cp === 0x20e3 ||
    (cp >= 0x1f1e6 && cp <= 0x1f1ff) ||
    (cp >= 0x2190 && cp <= 0x21ff) || // arrows
    (cp >= 0x2500 && cp <= 0x25ff) || // box drawing, geometric shapes
    (cp >= 0xe0020 && cp <= 0xe007f)
  );
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  '¥': ' yen ', '￥': ' yen ', '₩': ' won ', '฿': ' baht ', '₱': ' peso ', '€': ' eur ', '£': ' gbp ',
  '₫': ' vnd ', '円': ' yen ', '元': ' cny ', '원': ' won ',
};

/**
 * Fold one non-ASCII code point into lower-case ASCII-ish text (may be empty or several characters).
 * ASCII is folded in normalise() itself: lower case, carriage returns and tabs as spaces.
 */
function foldCodePoint(ch: string, cp: number): string {
  const cur = CURRENCY_SYMBOLS[ch];
  if (cur !== undefined) return cur;
  if (isEmojiOrSymbol(cp)) return ' ';
  if (cp === 0x2018 || cp === 0x2019 || cp === 0x02bc) return "'";
  if (cp === 0x201c || cp === 0x201d) return '"';
  if (cp === 0x2013 || cp === 0x2014 || cp === 0x2212) return '-';
  if (cp === 0x2022 || cp === 0x25cf || cp === 0x00b7) return '\n';
  if (cp === 0x00a0 || cp === 0x2009 || cp === 0x202f || cp === 0x200b) return ' ';
  const nfkd = ch.normalize('NFKD').replace(COMBINING, '').toLowerCase();
  return nfkd;
}

const GLUE_UNITS = new Set([
  'jt', 'jta', 'juta', 'rb', 'rbu', 'ribu', 'k', 'rp', 'idr', 'usd', 'rm', 'myr', 'nt', 'ntd', 'twd', 'sgd', 'hkd',
  'yen', 'jpy', 'won', 'krw', 'baht', 'thb', 'sar', 'aed', 'usdt', 'jam', 'hari', 'bulan', 'bln', 'thn', 'tahun',
]);

/** "12jt" → "12 juta", "rm1800" → "rm 1800", "rp12jt" → "rp 12 juta"; undefined when not glued money. */
function splitGlued(w: string): string | undefined {
  const m = /^([a-z]*)(\d+)([a-z]*)$/.exec(w);
  if (!m || (!m[1] && !m[3])) return undefined;
  const pre = m[1]!;
  const post = m[3]!;
  if (pre && !GLUE_UNITS.has(pre)) return undefined;
  if (post && !GLUE_UNITS.has(post)) return undefined;
  const parts: string[] = [];
  if (pre) parts.push(SLANG_MAP.get(pre) ?? pre);
  parts.push(m[2]!);
  if (post) parts.push(SLANG_MAP.get(post) ?? post);
  return parts.join(' ');
}

const SLANG_MAP: ReadonlyMap<string, string> = new Map(Object.entries(SLANG));

/**
 * SLANG as an open-addressing table keyed by a word's character codes, so that a word held in
 * the word buffer is looked up without building a string. Entries that map a word to itself
 * ("info": "info") expand nothing and are left out.
 */
const SLANG_TABLE = (() => {
  const entries = Object.entries(SLANG).filter(([k, v]) => k !== v);
  const size = 1 << Math.ceil(Math.log2(entries.length * 4));
  const slots = new Int32Array(size).fill(-1);
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i]![0];
    let h = hashString(key) & (size - 1);
    while (slots[h] !== -1) h = (h + 1) & (size - 1);
    slots[h] = i;
  }
  return { keys: entries.map(([k]) => k), values: entries.map(([, v]) => v), slots, mask: size - 1, maxLen: Math.max(...entries.map(([k]) => k.length)) };
})();

/** FNV-1a over character codes (the same for a string and for the same codes in a buffer). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
function hashCodes(codes: Uint16Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ codes[i]!, 0x01000193);
  return h >>> 0;
}

/** The slang expansion of the word in codes[0, n), or undefined. */
function slangOf(codes: Uint16Array, n: number): string | undefined {
  if (n > SLANG_TABLE.maxLen) return undefined;
  const { keys, values, slots, mask } = SLANG_TABLE;
  for (let h = hashCodes(codes, n) & mask; slots[h] !== -1; h = (h + 1) & mask) {
    const key = keys[slots[h]!]!;
    if (key.length !== n) continue;
    let k = 0;
    while (k < n && key.charCodeAt(k) === codes[k]) k++;
    if (k === n) return values[slots[h]!];
  }
  return undefined;
}

// ---------------------------------------------------------------- the normaliser's buffers
// normalise() is synchronous and not re-entrant: these are reused from call to call.

/** the output: code units and, for each, its original [start, end) */
let outCodes = new Uint16Array(4096);
let outS = new Int32Array(4096);
let outE = new Int32Array(4096);
let outLen = 0;
/** the word being read (folded [a-z0-9] characters) and each character's original [start, end) */
let wordCodes = new Uint16Array(256);
let wordS = new Int32Array(256);
let wordE = new Int32Array(256);
let wordLen = 0;
/** the word after collapsing repeated letters */
let collapsed = new Uint16Array(256);
let lastWasSpace = true;

function emit(code: number, s: number, e: number): void {
  if (outLen === outCodes.length) {
    const grow = <T extends Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    outCodes = grow(outCodes, (n) => new Uint16Array(n));
    outS = grow(outS, (n) => new Int32Array(n));
    outE = grow(outE, (n) => new Int32Array(n));
  }
  outCodes[outLen] = code;
  outS[outLen] = s;
  outE[outLen] = e;
  outLen++;
}

function emitString(str: string, s: number, e: number): void {
  for (let k = 0; k < str.length; k++) emit(str.charCodeAt(k), s, e);
}

function wordPush(code: number, s: number, e: number): void {
  if (wordLen === wordCodes.length) {
    const n = wordLen * 2;
    const c = new Uint16Array(n);
    c.set(wordCodes);
    wordCodes = c;
    const ws = new Int32Array(n);
    ws.set(wordS);
    wordS = ws;
    const we = new Int32Array(n);
    we.set(wordE);
    wordE = we;
    collapsed = new Uint16Array(n);
  }
  wordCodes[wordLen] = code;
  wordS[wordLen] = s;
  wordE[wordLen] = e;
  wordLen++;
}

const isLetter = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;

function codesToString(codes: Uint16Array, n: number): string {
  let w = '';
  for (let k = 0; k < n; k++) w += String.fromCharCode(codes[k]!);
  return w;
}

/**
 * A word ends: collapse runs of 3+ identical letters ("gratiiis" → "gratis", "bangettt" → "banget"),
 * expand slang and glued money. A word without a vowel is an acronym, not a drawn-out word: "PPPK"
 * (the civil service's contract staff) stays "pppk".
 */
function flushWord(): void {
  const n = wordLen;
  wordLen = 0;
  lastWasSpace = false;
  let cn = 0;
  let letters = false;
  let digits = false;
  let vowel = false;
  for (let k = 0; k < n; k++) {
    const c = wordCodes[k]!;
    if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) {
      vowel = true;
      break;
    }
  }
  for (let k = 0; k < n; ) {
    const c = wordCodes[k]!;
    let run = 1;
    while (k + run < n && wordCodes[k + run] === c) run++;
    k += run;
    if (isLetter(c)) {
      letters = true;
      if (run >= 3 && vowel) run = 1;
    } else digits = true;
    for (let r = 0; r < run; r++) collapsed[cn++] = c;
  }
  const s = wordS[0]!;
  const e = wordE[n - 1]!;
  // glued money needs letters and digits ("12jt", "rm1800")
  const expanded = (letters && digits ? splitGlued(codesToString(collapsed, cn)) : undefined) ?? slangOf(collapsed, cn);
  if (expanded !== undefined) emitString(expanded, s, e);
  else if (cn !== n) for (let k = 0; k < cn; k++) emit(collapsed[k]!, s, e);
  // keep per-character offsets for exact spans
  else for (let k = 0; k < n; k++) emit(wordCodes[k]!, wordS[k]!, wordE[k]!);
}

/** One folded character that is not a word character: whitespace is collapsed, a newline ends a sentence. */
function separator(code: number, s: number, e: number): void {
  if (wordLen > 0) flushWord();
  if (code === 32) {
    if (!lastWasSpace) emit(32, s, e);
    lastWasSpace = true;
  } else if (code === 10) {
    // newline is a sentence boundary; drop a preceding space
    if (outLen > 0 && outCodes[outLen - 1] === 32) outLen--;
    if (outLen > 0 && outCodes[outLen - 1] !== 10) emit(10, s, e);
    lastWasSpace = true;
  } else {
    // punctuation and other symbols are kept as they are (non-ASCII letters of other scripts too)
    emit(code, s, e);
    lastWasSpace = false;
  }
}

/** Normalise chat text. Linear in the input length. */
export function normalise(original: string): Normalised {
  outLen = 0;
  wordLen = 0;
  lastWasSpace = true;
  for (let i = 0; i < original.length; ) {
    const c = original.charCodeAt(i);
    if (c < 0x80) {
      if (isLetter(c) || isDigit(c)) wordPush(c, i, i + 1);
      else if (c >= 65 && c <= 90) wordPush(c + 32, i, i + 1);
      else separator(c === 13 || c === 9 ? 32 : c, i, i + 1);
      i++;
      continue;
    }
    const cp = original.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    const folded = foldCodePoint(original.slice(i, i + len), cp);
    for (let k = 0; k < folded.length; k++) {
      const f = folded.charCodeAt(k);
      if (isLetter(f) || isDigit(f)) wordPush(f, i, i + len);
      else separator(f, i, i + len);
    }
    i += len;
  }
  if (wordLen > 0) flushWord();
  return { text: outputText(), start: outS.slice(0, outLen), end: outE.slice(0, outLen) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The output's code units as a string: one byte a character when they fit (faster to search). */
function outputText(): string {
  let wide = false;
  for (let k = 0; k < outLen; k++) {
    if (outCodes[k]! > 0xff) {
      wide = true;
      break;
    }
  }
  if (!wide) return Buffer.from(outCodes.subarray(0, outLen)).toString('latin1');
  if (LITTLE_ENDIAN) return Buffer.from(outCodes.buffer, outCodes.byteOffset, outLen * 2).toString('utf16le');
  let text = '';
  for (let k = 0; k < outLen; k += 4096) text += String.fromCharCode.apply(null, Array.from(outCodes.subarray(k, Math.min(outLen, k + 4096))));
  return text;
}

/** Map a [s, e) span of normalised text back to original offsets. */
export function toOriginal(n: Normalised, s: number, e: number): [number, number] {
  const os = n.start[s] ?? 0;
  const oe = n.end[Math.max(s, e - 1)] ?? os;
  return [os, oe];
}

/** The inverse of toOriginal: the normalised span of what came from original offsets [s, e), or undefined when nothing did. */
export function fromOriginal(n: Normalised, s: number, e: number): [number, number] | undefined {
  let lo = 0;
  let hi = n.start.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (n.start[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < n.start.length && n.start[end]! < e) end++;
  return end > lo ? [lo, end] : undefined;
}

const STOP = new Set(
  (
    'yang dan di ke dari untuk dengan ini itu atau juga ada akan pada dalam sebagai oleh karena bisa ' +
    'saja sudah belum lagi kami kita saya anda kamu kalian dia mereka nya pun lah kah tersebut para ' +
    'the a an and or of to in on for with at by from is are be this that it as you your we our will ' +
    'can per dll etc'
  ).split(' '),
);

const stemCache = new Map<string, string>();

/** Indonesian stem with protection against over-stemming, cached. English words pass unchanged. */
export function stem(token: string): string {
  const p = STEM_PROTECT_MAP.get(token);
  if (p !== undefined) return p;
  const c = stemCache.get(token);
  if (c !== undefined) return c;
  let s = token;
  if (token.length > 4 && /^[a-z]+$/.test(token)) {
    try {
      s = stemmerId.stem(token) || token;
    } catch {
      s = token;
    }
    // too aggressive stems (3 letters or fewer) lose meaning: keep the word
    if (s.length < 4) s = token;
  }
  if (stemCache.size < 50_000) stemCache.set(token, s);
  return s;
}

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95;

/**
 * The words the statistical model reads in normalised text: what /[a-z][a-z0-9]*\/g matches. With
 * `whole`, also whether each word is a whole run of \w characters (no digit before it, no
 * underscore beside it): 1 or 0 for each, in order.
 */
export function modelWords(normText: string, whole?: number[]): string[] {
  const t = normText;
  const out: string[] = [];
  for (let i = 0; i < t.length; ) {
    const c = t.charCodeAt(i);
    if (c < 97 || c > 122) {
      i++;
      continue;
    }
    let j = i + 1;
    for (let d = t.charCodeAt(j); (d >= 97 && d <= 122) || (d >= 48 && d <= 57); d = t.charCodeAt(++j));
    out.push(t.slice(i, j));
    if (whole) whole.push(isWordChar(t.charCodeAt(i - 1)) || isWordChar(t.charCodeAt(j)) ? 0 : 1);
    i = j;
  }
  return out;
}

/** A word's part in the model's tokens: whether it is a stop word, and the token it stands for alone (none: stop word or one letter). */
export interface WordToken {
  stop: boolean;
  unigram: string | undefined;
}

const wordTokens = new Map<string, WordToken>();

export function wordToken(w: string): WordToken {
  let t = wordTokens.get(w);
  if (t === undefined) {
    const stop = STOP.has(w);
    t = { stop, unigram: w.length < 2 || stop ? undefined : stem(w) };
    if (wordTokens.size < 50_000) wordTokens.set(w, t);
  }
  return t;
}

/** scratch: which of the words being visited are stop words */
let stops = new Uint8Array(1024);

/**
 * The model's tokens of some words, in order: first each word's stem (stop words and one-letter
 * words left out), then each pair of neighbouring words, unstemmed (`bigram(a, b)` stands for the
 * token "a_b"), unless both are stop words. Given as calls, so that the model can look them up
 * without building the pairs' strings.
 */
export function visitModelTokens(words: readonly string[], unigram: (stem: string) => void, bigram: (a: string, b: string) => void): void {
  if (stops.length < words.length) stops = new Uint8Array(words.length * 2);
  const stop = stops;
  for (let k = 0; k < words.length; k++) {
    const t = wordToken(words[k]!);
    stop[k] = t.stop ? 1 : 0;
    if (t.unigram !== undefined) unigram(t.unigram);
  }
  // word bigrams of the unstemmed forms carry phrases ("tanpa pengalaman", "visa turis")
  for (let k = 0; k + 1 < words.length; k++) {
    if (stop[k] === 1 && stop[k + 1] === 1) continue;
    bigram(words[k]!, words[k + 1]!);
  }
}

/** Tokens for the statistical model: normalised words, stop words removed, stemmed; no digits; then word bigrams. */
export function modelTokens(normText: string | readonly string[]): string[] {
  const out: string[] = [];
  visitModelTokens(typeof normText === 'string' ? modelWords(normText) : normText, (s) => out.push(s), (a, b) => out.push(`${a}_${b}`));
  return out;
}
