/**
 * Normalisation of messy chat text, with an offset map back to the original.
 *
 * The checker's rules run on the normalised text (lower case, ASCII-folded, emojis removed,
 * repeated letters collapsed, chat abbreviations expanded) but quote evidence from the ORIGINAL
 * text: every character of the normalised text remembers the [start, end) range of original
 * characters it came from.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Sub-path import: never `import 'natural'` (its index pulls in database drivers).
const stemmerId = require('natural/lib/natural/stemmers/indonesian/stemmer_id.js') as {
  stem(token: string): string;
};

export interface Normalised {
  /** normalised text: lower case ASCII, single spaces, punctuation kept */
  text: string;
  /** original start offset of each normalised character */
  start: number[];
  /** original end offset (exclusive) of each normalised character */
  end: number[];
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

const COMBINING = /[\u0300-\u036f]/g;
const WORDCHAR = /[a-z0-9]/;

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

/** Fold one code point into lower-case ASCII-ish text (may be empty or several characters). */
function foldCodePoint(ch: string, cp: number): string {
  if (cp < 0x80) {
    if (ch === '\r' || ch === '\t') return ' ';
    return ch.toLowerCase();
  }
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

interface RawChar { c: string; s: number; e: number }

/** Collapse runs of 3+ identical letters ("gratiiis" → "gratis", "bangettt" → "banget"). */
function collapseRepeats(word: string): string {
  return word.replace(/([a-z])\1{2,}/g, '$1');
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
  if (pre) parts.push(SLANG[pre] ?? pre);
  parts.push(m[2]!);
  if (post) parts.push(SLANG[post] ?? post);
  return parts.join(' ');
}

/**
 * Normalise chat text. Linear in the input length.
 */
export function normalise(original: string): Normalised {
  // pass 1: fold code points into characters with original offsets
  const raw: RawChar[] = [];
  for (let i = 0; i < original.length; ) {
    const cp = original.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    const ch = original.slice(i, i + len);
    const folded = foldCodePoint(ch, cp);
    for (const c of folded) raw.push({ c, s: i, e: i + len });
    i += len;
  }

  // pass 2: words (collapse repeats, expand slang) and separators (collapse whitespace)
  const outText: string[] = [];
  const outS: number[] = [];
  const outE: number[] = [];
  const push = (str: string, s: number, e: number) => {
    for (const c of str) {
      outText.push(c);
      outS.push(s);
      outE.push(e);
    }
  };
  let i = 0;
  let lastWasSpace = true;
  while (i < raw.length) {
    const r = raw[i]!;
    if (WORDCHAR.test(r.c)) {
      let j = i;
      let w = '';
      while (j < raw.length && WORDCHAR.test(raw[j]!.c)) {
        w += raw[j]!.c;
        j++;
      }
      const s = r.s;
      const e = raw[j - 1]!.e;
      const collapsed = collapseRepeats(w);
      const glued = splitGlued(collapsed);
      const expanded = glued ?? SLANG[collapsed];
      if (expanded !== undefined && expanded !== collapsed) {
        push(expanded, s, e);
      } else if (collapsed !== w) {
        push(collapsed, s, e);
      } else {
        // keep per-character offsets for exact spans
        for (let k = i; k < j; k++) push(raw[k]!.c, raw[k]!.s, raw[k]!.e);
      }
      lastWasSpace = false;
      i = j;
      continue;
    }
    if (r.c === ' ') {
      if (!lastWasSpace) push(' ', r.s, r.e);
      lastWasSpace = true;
      i++;
      continue;
    }
    if (r.c === '\n') {
      // newline is a sentence boundary; drop a preceding space
      if (outText.length > 0 && outText[outText.length - 1] === ' ') {
        outText.pop();
        outS.pop();
        outE.pop();
      }
      if (outText.length > 0 && outText[outText.length - 1] !== '\n') push('\n', r.s, r.e);
      lastWasSpace = true;
      i++;
      continue;
    }
    // punctuation and other symbols are kept as they are (non-ASCII letters of other scripts too)
    push(r.c, r.s, r.e);
    lastWasSpace = false;
    i++;
  }
  return { text: outText.join(''), start: outS, end: outE };
}

/** Map a [s, e) span of normalised text back to original offsets. */
export function toOriginal(n: Normalised, s: number, e: number): [number, number] {
  const os = n.start[s] ?? 0;
  const oe = n.end[Math.max(s, e - 1)] ?? os;
  return [os, oe];
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
  const p = STEM_PROTECT[token];
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

/** Tokens for the statistical model: normalised words, stop words removed, stemmed; no digits. */
export function modelTokens(normText: string): string[] {
  const out: string[] = [];
  const words = normText.match(/[a-z][a-z0-9]*/g) ?? [];
  for (const w of words) {
    if (w.length < 2 || STOP.has(w)) continue;
    out.push(stem(w));
  }
  // word bigrams of the unstemmed forms carry phrases ("tanpa pengalaman", "visa turis")
  const bi: string[] = [];
  for (let k = 0; k + 1 < words.length; k++) {
    const a = words[k]!;
    const b = words[k + 1]!;
    if (STOP.has(a) && STOP.has(b)) continue;
    bi.push(`${a}_${b}`);
  }
  return out.concat(bi);
}
