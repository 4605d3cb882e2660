// Validation of free-text answers, one function per input type. Pure: the time comes in as `now`.
import { closestTypo, fold, squash, typoTargets, type TypoTarget } from './text.js';
import type { Value } from './types.js';

export const INPUT_TYPES = ['text', 'phone', 'date', 'country', 'region', 'yesno', 'number'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export interface InputRule {
  type: InputType;
  max?: number;
  min?: number;
  pattern?: string;
  /** for dates: refuse dates after `now` */
  past?: boolean;
}

/** A place people name: a country (ISO 3166-1 alpha-2) or a province of Indonesia (ISO 3166-2:ID, without "ID-"). */
export interface Place {
  code: string;
  names: string[];
}
export type Country = Place;
export type Region = Place;

export type Parsed = { ok: true; value: Value } | { ok: false; reason: string };

export const DEFAULT_TEXT_MAX = 500;

const patternCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

export function parseInput(rule: InputRule, raw: string, now: number, countries: readonly Country[], regions: readonly Region[] = []): Parsed {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'empty' };
  switch (rule.type) {
    case 'text':
      return parseText(rule, text);
    case 'phone':
      return parsePhone(text);
    case 'date':
      return parseDate(text, rule.past ? now : null);
    case 'country':
      return parseCountry(text, countries);
    case 'region':
      return parseRegion(text, regions);
    case 'yesno':
      return parseYesNo(text);
    case 'number':
      return parseNumber(rule, text);
  }
}

function parseText(rule: InputRule, text: string): Parsed {
  const length = [...text].length;
  if (length > (rule.max ?? DEFAULT_TEXT_MAX)) return { ok: false, reason: 'too_long' };
  if (rule.min !== undefined && length < rule.min) return { ok: false, reason: 'too_short' };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, reason: 'no_letters' };
  if (rule.pattern && !compiled(rule.pattern).test(text)) return { ok: false, reason: 'pattern' };
  return { ok: true, value: text };
}

/** Words that label a phone number in an answer ("WA 0812…", "no hp: 0812…", "0812… (WhatsApp)"). */
const PHONE_LABEL = /\b(?:wa|whatsapp|whats app|hp|handphone|no|nomor|nomer|nmr|nomornya|telp|telpon|telepon|tel|phone|mobile|number|cell|saya|aku|kami|my|our|is|ini|adalah|yaitu|kak)\b|:/gi;

/** Phone numbers as E.164. Indonesian local forms (08…, 62…) are accepted; other countries need a +. */
export function parsePhone(text: string): Parsed {
  const strict = phoneDigits(text);
  if (strict.ok || !/[a-z:]/i.test(text)) return strict;
  // One number with the words that label it: read without them (anything else left, it is refused).
  // Labels stand before or after the number, not within it ("hp 0812 3456 wa 789" is two numbers).
  const marked = text.replace(PHONE_LABEL, '\u0000');
  if (/\d[^\d]*\u0000[^\d]*\d/.test(marked)) return { ok: false, reason: 'format' };
  return phoneDigits(marked.replace(/\u0000/g, ' '));
}

function phoneDigits(text: string): Parsed {
  const cleaned = text.replace(/[\s().\-]/g, '');
  let digits: string;
  if (/^\+\d+$/.test(cleaned)) digits = cleaned.slice(1);
  else if (/^00\d+$/.test(cleaned)) digits = cleaned.slice(2);
  else if (/^0\d+$/.test(cleaned)) digits = '62' + cleaned.slice(1);
  else if (/^62\d+$/.test(cleaned)) digits = cleaned;
  else return { ok: false, reason: 'format' };
  if (digits.length < 9 || digits.length > 15) return { ok: false, reason: 'length' };
  return { ok: true, value: '+' + digits };
}

const MONTHS: Record<string, number> = {};
[
  ['januari', 'january', 'jan'], ['februari', 'february', 'feb', 'pebruari'], ['maret', 'march', 'mar'],
  ['april', 'apr'], ['mei', 'may'], ['juni', 'june', 'jun'], ['juli', 'july', 'jul'],
  ['agustus', 'august', 'agu', 'agt', 'aug'], ['september', 'sep', 'sept'], ['oktober', 'october', 'okt', 'oct'],
  ['november', 'nopember', 'nov'], ['desember', 'december', 'des', 'dec'],
].forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

export function parseDate(text: string, notAfter: number | null): Parsed {
  const t = fold(text).replace(/\//g, ' ');
  let d: number | undefined, m: number | undefined, y: number | undefined;
  let match: RegExpMatchArray | null;
  if ((match = t.match(/^(\d{4}) (\d{1,2}) (\d{1,2})$/))) [y, m, d] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = t.match(/^(\d{1,2}) (\d{1,2}) (\d{4})$/))) [d, m, y] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = t.match(/^(\d{1,2}) ([a-z]+) (\d{4})$/))) [d, m, y] = [+match[1]!, MONTHS[match[2]!], +match[3]!];
  else if ((match = t.match(/^([a-z]+) (\d{1,2}) (\d{4})$/))) [m, d, y] = [MONTHS[match[1]!], +match[2]!, +match[3]!];
  if (d === undefined || m === undefined || y === undefined) return { ok: false, reason: 'format' };
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (y < 1900 || back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    return { ok: false, reason: 'invalid' };
  }
  if (notAfter !== null && ms > notAfter) return { ok: false, reason: 'future' };
  return { ok: true, value: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

interface PlaceIndex {
  /** Squashed name (and code, where codes are taken) → code; the first place listed wins. */
  exact: Map<string, string>;
  /** Squashed name → code, names only (a code is a short word: "in", "my", "id"), and the most words a name has. */
  byName: Map<string, string>;
  longest: number;
  /** Every squashed name with its place's code, for typos. */
  names: TypoTarget<string>[];
}

/** Each list of places is squashed once (lists are loaded once and never changed); with codes and without. */
const indexes = { with: new WeakMap<readonly Place[], PlaceIndex>(), without: new WeakMap<readonly Place[], PlaceIndex>() };

function placeIndex(places: readonly Place[], codes: boolean): PlaceIndex {
  const cache = codes ? indexes.with : indexes.without;
  let index = cache.get(places);
  if (!index) {
    const exact = new Map<string, string>();
    const byName = new Map<string, string>();
    for (const p of places) {
      for (const key of [...(codes ? [p.code.toLowerCase()] : []), ...p.names.map(squash)]) if (!exact.has(key)) exact.set(key, p.code);
      for (const key of p.names.map(squash)) if (!byName.has(key)) byName.set(key, p.code);
    }
    const longest = Math.max(1, ...[...byName.keys()].map((k) => k.split(' ').length));
    index = { exact, byName, longest, names: typoTargets(places.flatMap((p) => p.names.map((n) => ({ text: squash(n), value: p.code })))) };
    cache.set(places, index);
  }
  return index;
}

/** Names that are also ordinary words ("as a maid", "same as me"): among other words, a place only in capitals ("di AS"). */
const WORD_NAMES = new Set(['as']);

/** Words saying no or not that every reading of a "no" below shares; each adds its own. */
export const NEGATIONS: readonly string[] = ['tidak', 'tdk', 'gak', 'ga', 'nggak', 'enggak', 'belum', 'bukan', 'no'];

/** Words saying where one is not, or was ("tidak di Malaysia lagi", "dulu Malaysia"); not "mau ke Jepang": the guide asks where one will work. */
const NOT_WHERE = new Set(
  [...NEGATIONS, 'not', 'never', 'dulu', 'dahulu', 'sebelumnya', 'bekas', 'mantan', 'previously', 'formerly', 'used', 'atau', 'or'].map(squash),
);

/**
 * The one place a short answer names among other words ("di Malaysia", "ke Taiwan", "sekarang di
 * Kamboja", "Kuala Lumpur, Malaysia"): names only, exact, the longest first ("uni emirat arab", not
 * "arab"); none when it names two ("Malaysia atau Thailand") or says NOT_WHERE. `text` is the answer as written.
 */
function placeAmongWords(typed: string, index: PlaceIndex, text: string): string | undefined {
  const words = typed.split(' ');
  if (words.length > 8) return undefined; // an answer, not a story
  if (words.some((w) => NOT_WHERE.has(w))) return undefined;
  const found = new Set<string>();
  for (let i = 0; i < words.length; ) {
    let n = Math.min(index.longest, words.length - i);
    for (; n > 0; n--) {
      const name = words.slice(i, i + n).join(' ');
      const code = index.byName.get(name);
      if (code !== undefined && (!WORD_NAMES.has(name) || new RegExp(`\\b${name.toUpperCase()}\\b`).test(text))) {
        found.add(code);
        break;
      }
    }
    i += Math.max(n, 1);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** A place by name (or code); a typo must be closer to one place than to any other. */
function parsePlace(text: string, places: readonly Place[], codes: boolean, reason: string): Parsed {
  const typed = squash(text);
  const index = placeIndex(places, codes);
  const code = index.exact.get(typed) ?? closestTypo(typed, index.names) ?? placeAmongWords(typed, index, text);
  return code !== undefined ? { ok: true, value: code } : { ok: false, reason };
}

/** A country by code or name; a typo must be closer to one country than to any other. */
export function parseCountry(text: string, countries: readonly Country[]): Parsed {
  return parsePlace(text, countries, true, 'unknown_country');
}

/**
 * A province of Indonesia by name or a common short name (NTB, Jatim, DIY), as countries are; not by
 * its ISO code, which few people know ("KT" or "SB" typed for something else would be taken).
 */
export function parseRegion(text: string, regions: readonly Region[]): Parsed {
  return parsePlace(text, regions, false, 'unknown_region');
}

const YES = new Set(['ya', 'iya', 'y', 'yes', 'yup', 'yep', 'ok', 'oke', 'okay', 'betul', 'benar', 'setuju', 'boleh', 'sure', 'ye', 'yoi', 'siap', 'agree', 'i agree', 'saya setuju', 'aku setuju', 'sudah benar', 'sudah betul', 'benar sekali', 'correct', 'that is correct', 'right'].map(squash));
const NO_WORDS = [...NEGATIONS, 'gk', 'ngga', 'engga', 'n', 'nope', 'jangan', 'nah'];
const NO = new Set(
  [
    ...NO_WORDS,
    ...['tidak', 'tdk', 'gak', 'ga', 'nggak', 'ngga', 'enggak', 'belum'].map((n) => `${n} setuju`), 'saya tidak setuju', 'aku tidak setuju',
    'disagree', 'i disagree', 'not agree', 'do not agree', 'i do not agree', 'dont agree', 'i dont agree', 'don t agree', 'i don t agree',
  ].map(squash),
);

/**
 * "I don't know", "there is none", "no" as people write them: where a question may be skipped and the
 * answer is not one it takes, this answer skips it ("another safe number?" "tidak ada").
 */
const NO_ANSWER = new Set(
  [
    'tidak ada', 'tdk ada', 'gak ada', 'ga ada', 'gk ada', 'nggak ada', 'ngga ada', 'enggak ada', 'belum ada', 'none', 'nothing', 'no', 'nope', 'tidak', 'tdk',
    'gak', 'ga', 'nggak', 'enggak', 'n a', 'na', 'not applicable',
    'tidak tahu', 'tidak tau', 'tdk tahu', 'tdk tau', 'gak tahu', 'gak tau', 'ga tahu', 'ga tau', 'gk tau', 'nggak tahu', 'nggak tau', 'ngga tau', 'enggak tahu',
    'belum tahu', 'belum tau', 'kurang tahu', 'kurang tau', 'saya tidak tahu', 'saya tidak tau', 'entah', 'entahlah', 'tidak yakin', 'kurang yakin', 'gak yakin',
    'tidak jelas', 'not sure', 'don t know', 'dont know', 'i don t know', 'i dont know', 'do not know', 'i do not know', 'no idea', 'unknown', 'idk', 'dunno',
    'not known', 'unsure',
  ].map(squash),
);
export const meansNoAnswer = (text: string): boolean => NO_ANSWER.has(withoutPolite(text));

/** Words of politeness around a yes or a no ("iya kak", "tidak pak", "yes please", "no thanks"): they change nothing. */
const POLITE = new Set(['kak', 'ka', 'kakak', 'pak', 'bu', 'bang', 'mas', 'mbak', 'min', 'gan', 'sis', 'dong', 'deh', 'aja', 'saja', 'please', 'pls', 'thanks', 'thank', 'you', 'terima', 'kasih', 'makasih'].map(squash));

/** Thanks alone ("terima kasih kak", "makasih banyak", "ok thank you"): no answer to a question, and no failure. */
const THANKS = new Set(['terima', 'kasih', 'makasih', 'terimakasih', 'trims', 'tq', 'thx', 'thanks', 'thank'].map(squash));
const AROUND_THANKS = new Set(['you', 'banyak', 'much', 'so', 'very', 'ok', 'oke', 'okay', 'sip', 'noted', 'ya', 'atas', 'infonya', 'informasinya', 'bantuannya'].map(squash));
export function onlyThanks(text: string): boolean {
  const words = squash(text).split(' ').filter(Boolean);
  return words.length <= 6 && words.some((w) => THANKS.has(w)) && words.every((w) => THANKS.has(w) || POLITE.has(w) || AROUND_THANKS.has(w));
}

/** A greeting alone ("halo kak", "assalamualaikum", "selamat pagi", "hi there"): no answer to a question, and no failure. */
const GREETING = new Set(['halo', 'hallo', 'helo', 'hello', 'hai', 'hi', 'hey', 'hei', 'p', 'permisi', 'assalamualaikum', 'asalamualaikum', 'assalamu alaikum', 'salam', 'pagi', 'siang', 'sore', 'malam', 'selamat pagi', 'selamat siang', 'selamat sore', 'selamat malam', 'good morning', 'good afternoon', 'good evening', 'hi there', 'hello there', 'halo min', 'hai min'].map(squash));
export function onlyGreeting(text: string): boolean {
  const t = withoutPolite(text).replace(/ (wr wb|wr\.? ?wb\.?|warahmatullahi wabarakatuh)$/, '');
  return GREETING.has(t);
}

/** A squashed answer without its words of politeness. */
export function withoutPolite(text: string): string {
  const whole = squash(text);
  return whole.includes(' ') ? whole.split(' ').filter((w) => !POLITE.has(w)).join(' ') : whole;
}

export function parseYesNo(text: string): Parsed {
  const t = withoutPolite(text);
  if (YES.has(t)) return { ok: true, value: true };
  if (NO.has(t)) return { ok: true, value: false };
  return { ok: false, reason: 'yesno' };
}

/**
 * Words that may stand around a number, saying what it is or that it is a guess: a family asked for an
 * age answers "30 tahun", "umur 30", "sekitar 25-an", "about 30 years old" as often as "30".
 */
const AROUND_NUMBER = new Set([
  'tahun', 'thn', 'th', 'umur', 'umurnya', 'usia', 'usianya', 'sekitar', 'kira', 'kurang', 'lebih', 'kurleb', 'an', 'lah', 'dia', 'sudah', 'sdh',
  'around', 'about', 'approx', 'approximately', 'roughly', 'maybe', 'age', 'aged', 'years', 'year', 'yrs', 'yr', 'old', 'y', 'o', 'ish', 'is', 'she', 'he',
]);

/** The one number in an answer whose other words are all AROUND_NUMBER ones or politeness ("30 tahun kak"), or undefined. */
function numberAmongWords(text: string): string | undefined {
  const words = text
    .toLowerCase()
    .replace(/\bkira(?:[- ]?2|-kira| kira)/g, 'kira') // "kira-kira", "kira2": about
    .replace(/(\d)(?=[a-z])|([a-z])(?=\d)/g, '$1$2 ') // "30an", "umur30"
    .split(/[^a-z0-9.,]+|[.,](?!\d)/)
    .filter(Boolean);
  const numbers = words.filter((w) => /^\d+(?:[.,]\d+)?$/.test(w));
  if (numbers.length !== 1 || !words.every((w) => w === numbers[0] || AROUND_NUMBER.has(w) || POLITE.has(w))) return undefined;
  return numbers[0];
}

function parseNumber(rule: InputRule, text: string): Parsed {
  const bare = text.replace(/\s/g, '');
  const t = /^-?\d+([.,]\d+)?$/.test(bare) ? bare : numberAmongWords(text);
  if (t === undefined) return { ok: false, reason: 'format' };
  const n = Number(t.replace(',', '.'));
  if (rule.min !== undefined && n < rule.min) return { ok: false, reason: 'too_small' };
  if (rule.max !== undefined && n > rule.max) return { ok: false, reason: 'too_large' };
  return { ok: true, value: n };
}
