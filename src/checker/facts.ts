/**
 * Fact extraction on normalised text: money amounts, job category, phone numbers, links.
 * Reference wages and exchange rates come from data/wages.yaml (read once at module load).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { PH_MOBILE } from './contacts.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: the nearest folder above holding package.json (also from dist/src/checker). */
export const REPO_ROOT = (() => {
  let dir = here;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

interface WageEntry {
  monthly_min?: number;
  monthly_max_minimum?: number;
  derived_monthly_min?: number;
  currency?: string;
}
export interface WagesFile {
  rates: {
    idr_per_unit: Record<string, number>;
    pegged?: Record<string, { idr_per_unit: number }>;
  };
  countries: Record<string, Record<string, WageEntry>>;
}

/**
 * data/wages.yaml compiled to JSON by `npm run train:checker` (src/checker/reference.json), so that
 * start-up does not load a YAML parser; a test checks the two agree.
 */
export const REFERENCE_PATH = path.join(here, 'reference.json');
const wages = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as WagesFile;

export const IDR_PER_UNIT: Readonly<Record<string, number>> = (() => {
  const r: Record<string, number> = { ...wages.rates.idr_per_unit };
  for (const [k, v] of Object.entries(wages.rates.pegged ?? {})) r[k] = v.idr_per_unit;
  return r;
})();

/** Monthly legal minimum pay in rupiah for a country and job category, when sourced. */
export function referenceMonthlyIdr(country: string, job: string | undefined): number | undefined {
  const c = wages.countries[country];
  if (!c) return undefined;
  const domestic = job === 'domestic_worker' || job === 'caregiver' || job === 'babysitter';
  const entry = (domestic ? c['domestic_worker'] : undefined) ?? c['general'];
  if (!entry) return undefined;
  // a country whose domestic-worker entry has no figure: do not fall back to the general minimum
  if (domestic && c['domestic_worker'] && c['domestic_worker'].monthly_min === undefined) return undefined;
  // where minimums differ by region, compare with the highest (fewer false alarms)
  const amount = entry.monthly_max_minimum ?? entry.monthly_min ?? entry.derived_monthly_min;
  const rate = entry.currency ? IDR_PER_UNIT[entry.currency] : undefined;
  if (amount === undefined || rate === undefined) return undefined;
  return amount * rate;
}

// ---------------------------------------------------------------- money

export interface Money {
  amount: number;
  currency: string;
  perMonthIdr?: number;
  /** normalised-text span */
  s: number;
  e: number;
  kind: 'pay' | 'fee' | 'unknown';
  /** quoted per year */
  annual?: boolean;
  /** quoted per hour */
  hourly?: boolean;
  /** what the amount is paid for, where the offer says (before or after the number) */
  per?: PayPeriod;
  /** the amount in rupiah, for its own period (a fee's value; a day's, week's or task's pay), when the currency is known */
  idr?: number;
}

/** A pay period: "gaji harian Rp 200.000", "$300 per task", "$600 weekly", "RM 1.800 sebulan". */
export type PayPeriod = 'hour' | 'day' | 'week' | 'month' | 'year' | 'task';

const CUR_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/^(?:rp\.?|idr|rupiah)$/, 'IDR'],
  [/^(?:us\$|usd|\$|dollar|dolar|dollars|usdt)$/, 'USD'],
  [/^(?:rm|myr|ringgit)$/, 'MYR'],
  [/^(?:nt\$|ntd|twd|nt)$/, 'TWD'],
  [/^(?:s\$|sgd)$/, 'SGD'],
  [/^(?:hk\$|hkd)$/, 'HKD'],
  [/^(?:yen|jpy)$/, 'JPY'],
  [/^(?:won|krw)$/, 'KRW'],
  [/^(?:baht|thb)$/, 'THB'],
  [/^(?:pesos?|php)$/, 'PHP'],
  [/^(?:sar|riyal|real)$/, 'SAR'],
  [/^(?:aed|dirham)$/, 'AED'],
  [/^(?:eur|euro)$/, 'EUR'],
  [/^(?:gbp|£)$/, 'GBP'],
  [/^(?:aud|a\$)$/, 'AUD'],
  [/^(?:cny|rmb|yuan)$/, 'CNY'],
];

function currencyOf(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const w = word.trim();
  for (const [re, c] of CUR_WORDS) if (re.test(w)) return c;
  return undefined;
}

const NUM = String.raw`\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`;
const MULT = String.raw`(?:juta|jutaan|ribu|rb|k|million|mio|thousand)(?![a-z])`;
const CUR_PRE = String.raw`rp\.?|idr|us\$|usd|usdt|nt\$|ntd|twd|s\$|sgd|hk\$|hkd|rm|myr|yen|jpy|won|krw|baht|thb|php|peso|sar|riyal|aed|eur|gbp|£|aud|a\$|cny|rmb|\$`;
const CUR_POST = String.raw`rupiah|idr|usd|usdt|dollars?|dolar|\$|rm|ringgit|myr|ntd|twd|nt|sgd|hkd|yen|jpy|won|krw|baht|thb|pesos?|php|sar|riyal|aed|dirham|eur|euro|gbp|aud|cny|rmb|yuan`;

// one money mention, optionally a range: "rp 8 - 12 juta", "$800-1,200", "12jt", "800 usd", "rm 1.800"
const MONEY_RE = new RegExp(
  String.raw`(?<![\w+])(?:(?<pre>${CUR_PRE})\s?)?(?<n1>${NUM})\s?(?<m1>${MULT})?(?:\s?(?:-|s\.?d\.?|sampai|hingga|to|~)\s?(?:(?:${CUR_PRE})\s?)?(?<n2>${NUM})\s?(?<m2>${MULT})?)?(?:\s?(?<post>${CUR_POST})(?![a-z]))?`,
  'g',
);

/**
 * A pay period written after the number: "Rp 5 juta/bulan", "$600 weekly", "Rp 50.000 per tugas". A like,
 * rating or review is a period only after "per", "/", "a", "each", "setiap"...: in "Gaji Rp 4.500.000
 * review per tahun" the word begins the next phrase (the pay is the year's, not a review's).
 */
const PERIOD_RE = /^[\s,]{0,2}(?:(?:\/|per|tiap|setiap|a|an|each|every|sebulan|perbulan|perhari|perjam|sehari|setahun|pertahun)?\s?(bulan|bln|month|months|mo|monthly|hari|day|days|daily|jam|hour|hours|hr|hrly|hourly|minggu|week|weekly|mingguan|tahun|year|yr|annum|annual|annually|sebulan|perbulan|sehari|perhari|perjam|setahun|pertahun|task|tasks|tugas|misi|mission|assignment)|(?:\/|per|tiap|setiap|a|an|each|every)\s?(like|likes|rating|ulasan|review))\b/;
/**
 * A pay period written before the number, joined to a pay word: "gaji harian: Rp 200.000",
 * "daily earnings can grow to ₦80,000", "weekly pay of $600", "komisi per tugas Rp 50.000".
 * (Not a period word alone: in "kerja harian, gaji 4.500.000" the pay is not the day's.)
 */
const PERIOD_BEFORE_RE = /(?:\b(?:gaji|upah|bayaran|penghasilan|pendapatan|komisi|income|earnings?|salary|wages?|pay|commission)\s(?:harian|mingguan|bulanan|per ?(?:hari|minggu|bulan|tugas|misi|task|day|week|month)|setiap (?:hari|minggu|tugas)|tiap (?:hari|minggu|tugas)|daily|weekly|monthly|a day|a week|each task)|\b(?:harian|mingguan|daily|weekly|monthly)\s(?:gaji|upah|bayaran|penghasilan|pendapatan|komisi|income|earnings?|salary|wages?|pay|commission))\b[^.\n\d]{0,22}$/;

/**
 * A period said before the number with no pay word, only "can earn" between: "per hari bisa dapat
 * Rp 3.000.000", "sehari bisa 1 juta", "every day you can earn $300". (With a pay word or anything
 * else between, the number is not the period's: "kerja per hari, gaji 4.500.000"; nor is a working
 * time's: "kerja 6 hari seminggu, Rp 4.500.000", "8 hours a day, $1,500"; after a comma or a line
 * break only with "can earn".)
 */
const PERIOD_LEAD_RE = /(?<!\d ?(?:jam|hari|hours?|days?|x) ?)\b(per ?hari|sehari|setiap hari|tiap hari|per ?minggu|seminggu|setiap minggu|tiap minggu|per day|a day|each day|every day|daily|per week|a week|each week|every week|weekly)(?:\s(?:(?:hingga|sampai|up to|s\.?d\.?)\s)?|,?\s(?:(?:anda |kamu |you |u )?(?:bisa|dapat|can|could|will|akan)\s)(?:(?:dapat|dapatkan|mendapatkan|menghasilkan|hasilkan|meraih|raih|dibayar|earn|get|make|receive|gain|be paid)\s)?(?:(?:hingga|sampai|up to|s\.?d\.?)\s)?|,?\s(?:dapat|dapatkan|mendapatkan|menghasilkan|hasilkan|meraih|raih|dibayar|earn|get|make|receive|gain|be paid)\s(?:(?:hingga|sampai|up to|s\.?d\.?)\s)?)$/;

/** The period a period word names. */
function periodOf(word: string): PayPeriod {
  if (/^(?:hari|day|days|daily|sehari|perhari|harian)$/.test(word)) return 'day';
  if (/^(?:jam|hour|hours|hr|hrly|hourly|perjam)$/.test(word)) return 'hour';
  if (/^(?:minggu|week|weekly|mingguan)$/.test(word)) return 'week';
  if (/^(?:tahun|year|yr|annum|annual|annually|setahun|pertahun)$/.test(word)) return 'year';
  if (/^(?:task|tasks|tugas|misi|mission|assignment|like|likes|rating|ulasan|review)$/.test(word)) return 'task';
  return 'month';
}

/** How many of a period make a month (a task's pay is not converted: its effort is unknown). */
const PER_MONTH: Readonly<Record<PayPeriod, number>> = { hour: 173, day: 26, week: 4.33, month: 1, year: 1 / 12, task: 1 };

function parseNum(s: string): number {
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
  const m = /^(\d{1,3}(?:[.,]\d{3})+)[.,](\d{1,2})$/.exec(s);
  if (m) return Number(m[1]!.replace(/[.,]/g, '')) + Number(`0.${m[2]}`);
  if (/^\d+[.,]\d+$/.test(s)) return Number(s.replace(',', '.'));
  return Number(s);
}

function multOf(m: string | undefined): number {
  if (!m) return 1;
  if (m === 'juta' || m === 'jutaan' || m === 'million' || m === 'mio') return 1e6;
  return 1e3; // ribu, rb, k, thousand
}

const FEE_CONTEXT = /\b(?:biaya|bayar|membayar|fee|fees|deposit|admin|uang muka|jaminan|transfer|setor|potongan|dipotong|potong gaji|cicil|ongkos|charge|cost|costs|tebus|modal|pendaftaran|guarantee)\b[^.\n]{0,25}$/;
const PAY_CONTEXT = /(?:gaji|salary|upah|pay|paid|income|penghasilan|pendapatan|earn|earning|wage|wages|bonus|komisi|commission|dibayar|take home|thp|gapok|basic|allowance|tunjangan|insentif|incentive)[^.\n]{0,30}$/;

export function extractMoney(t: string): Money[] {
  const out: Money[] = [];
  MONEY_RE.lastIndex = 0;
  for (let m = MONEY_RE.exec(t); m; m = MONEY_RE.exec(t)) {
    if (m[0].length === 0) {
      MONEY_RE.lastIndex++;
      continue;
    }
    const g = m.groups ?? {};
    const pre = currencyOf(g['pre']);
    const post = currencyOf(g['post']);
    const m1 = g['m1'];
    const m2 = g['m2'];
    let currency = pre ?? post;
    const n1s = g['n1'] ?? '';
    // a long bare digit string is a phone number or an id, not money
    if (!currency && !m1 && !m2) {
      // dotted rupiah amounts after a pay/fee word: "gaji 12.000.000"
      const before = t.slice(Math.max(0, m.index - 40), m.index);
      if (/^\d{1,3}(?:\.\d{3}){2,}$/.test(n1s) && (PAY_CONTEXT.test(before) || FEE_CONTEXT.test(before))) {
        currency = 'IDR';
      } else continue;
    }
    if (!currency) {
      const mult = m2 ?? m1;
      if (mult === 'juta' || mult === 'jutaan' || mult === 'ribu' || mult === 'rb') currency = 'IDR';
      else {
        // "1.5k" with no currency: only money after a pay/fee word, assume rupiah
        const before = t.slice(Math.max(0, m.index - 40), m.index);
        if (PAY_CONTEXT.test(before) || FEE_CONTEXT.test(before)) currency = 'IDR';
        else continue;
      }
    }
    const v1 = parseNum(n1s) * multOf(m1 ?? (g['n2'] ? m2 : undefined));
    const v2 = g['n2'] !== undefined ? parseNum(g['n2']) * multOf(m2 ?? m1) : undefined;
    let amount = v2 !== undefined && v2 > v1 ? v2 : v1;
    if (!Number.isFinite(amount) || amount <= 0) continue;
    // "12jt" style is rupiah even with a stray "$"
    if (currency === 'IDR' && amount < 1000 && !m1 && !m2) amount *= 1; // e.g. "rp 500" (odd but keep)
    const after = t.slice(m.index + m[0].length, m.index + m[0].length + 24);
    const pm = PERIOD_RE.exec(after);
    const before = t.slice(Math.max(0, m.index - 45), m.index);
    let per: PayPeriod | undefined = pm ? periodOf((pm[1] ?? pm[2])!) : undefined;
    if (per === undefined) {
      const pb = PERIOD_BEFORE_RE.exec(before);
      if (pb) per = periodOf(/(harian|mingguan|bulanan|hari|minggu|bulan|tugas|misi|task|day|week|month|daily|weekly|monthly)\b/.exec(pb[0])![1]!.replace(/^bulanan$/, 'bulan'));
      else {
        const lead = PERIOD_LEAD_RE.exec(before);
        if (lead) per = /hari|day|daily/.test(lead[1]!) ? 'day' : 'week';
      }
    }
    const factor = per ? PER_MONTH[per] : 1;
    const kind: Money['kind'] = FEE_CONTEXT.test(before) && !/(?:gaji|salary|upah)[^.\n]{0,12}$/.test(before)
      ? 'fee'
      : PAY_CONTEXT.test(before) || per
        ? 'pay'
        : 'unknown';
    const rate = IDR_PER_UNIT[currency];
    const e = m.index + m[0].length + (pm ? pm[0].length : 0);
    const money: Money = { amount, currency, s: m.index, e, kind };
    if (rate !== undefined && kind !== 'fee') money.perMonthIdr = Math.round(amount * rate * factor);
    if (rate !== undefined) money.idr = Math.round(amount * rate);
    if (per !== undefined) money.per = per;
    if (factor < 1) money.annual = true;
    if (factor > 100) money.hourly = true;
    out.push(money);
  }
  return out;
}

// ---------------------------------------------------------------- jobs

export const JOBS: ReadonlyArray<[string, RegExp]> = ([
  ['entertainment', String.raw`ladies companion|pemandu (?:lagu|karaoke)|purel|hostess|\blc\b|karaoke|terapis (?:spa|pijat)|spa therapist|massage|pijat|night ?club|klub malam|dancer|penari|escort|guest relation`],
  ['fishing_crew', String.raw`anak buah kapal|kapal (?:ikan|penangkap|nelayan|tuna|longline|long line)|fishing (?:vessel|boat|crew)|fishing|fisherman|fishermen|nelayan|deckhand|awak kapal(?: perikanan)?|longliner`],
  ['domestic_worker', String.raw`pembantu(?: rumah tangga)?|\bprt\b|\bart\b|asisten rumah tangga|pekerja rumah tangga|pengurus rumah tangga|penata laksana rumah tangga|housemaid|house maid|\bmaid\b|domestic (?:helper|worker)|helper rumah tangga|\bfdh\b|\bfdw\b|household (?:worker|helper)`],
  ['caregiver', String.raw`caregiver|care giver|perawat (?:lansia|jompo|orang tua|manula)|pengasuh (?:lansia|jompo|orang tua)|\bkaigo\b|nursing care|elderly care|penjaga (?:lansia|orang tua)`],
  ['babysitter', String.raw`baby ?sitter|pengasuh (?:anak|bayi|balita)|nanny`],
  ['game_operator', String.raw`operator game|game operator|casino|kasino|judi(?: online)?|gambling|betting|\bslot\b`],
  ['crypto', String.raw`crypto|kripto|cryptocurrency|trading|forex|binance|usdt`],
  ['customer_service', String.raw`customer service|customer support|call cent(?:er|re)|telemarketing|telemarketer|live chat|chat (?:operator|admin)|\bcso\b`],
  ['typing', String.raw`typing|typist|data entry|input data|entry data|ketik|mengetik`],
  ['online_marketing', String.raw`online marketing|marketing online|digital marketing|social media (?:marketing|admin)|admin (?:online|sosmed|medsos)|content moderator`],
  ['admin', String.raw`\badmin(?:istrasi|istration|istrative)?\b|office staff|staf kantor|operator komputer|computer operator`],
  ['factory', String.raw`pabrik|factory|operator produksi|production operator|manufaktur|manufacturing|assembly|perakitan|elektronik|garment|garmen|konveksi|machine operator|operator mesin`],
  ['construction', String.raw`konstruksi|construction|proyek bangunan|tukang|welder|welding|\blas\b|scaffold|carpenter|bekisting|kuli bangunan|bricklayer`],
  ['plantation', String.raw`perkebunan|kebun|sawit|ladang|plantation|\bfarm\b|farming|pertanian|peternakan|agriculture|petani|pemetik|harvest`],
  ['hospitality', String.raw`hotel|restoran|restaurant|waiter|waitress|pelayan|barista|\bchef\b|\bcook\b|juru masak|koki|housekeeping|kitchen|dapur|room attendant|\bf&b\b|food and beverage`],
  ['driver', String.raw`\bsopir\b|\bsupir\b|driver|pengemudi`],
  ['cleaner', String.raw`cleaning service|cleaner|petugas kebersihan|janitor`],
  ['nurse', String.raw`\bperawat\b|\bnurse\b|nursing`],
  ['warehouse', String.raw`gudang|warehouse|packing|packer|picker|logistik|logistics`],
  ['security', String.raw`satpam|security guard|\bsecurity\b`],
  ['sales', String.raw`\bsales\b|marketing|pemasaran|penjualan`],
  ['it', String.raw`programmer|developer|software|engineer|insinyur|data analyst|it support|web design`],
  ['teacher', String.raw`\bguru\b|teacher|pengajar|tutor|dosen|lecturer`],
] as Array<[string, string]>).map(([id, src]) => [id, new RegExp(src)]);

/** jobs used by scam compounds (counted only with a destination abroad) */
export const SCAM_JOB_TYPES = new Set(['customer_service', 'typing', 'online_marketing', 'crypto', 'game_operator', 'admin']);
/** jobs with placement costs set at zero (BP2MI reg. 9/2020, data/checker-facts.yaml) */
export const ZERO_COST_JOBS = new Set(['domestic_worker', 'caregiver', 'babysitter', 'driver', 'cleaner', 'plantation', 'fishing_crew', 'hospitality']);
/** low-skill jobs for the pay plausibility check */
export const LOW_SKILL_JOBS = new Set([
  'domestic_worker', 'caregiver', 'babysitter', 'factory', 'plantation', 'fishing_crew', 'customer_service',
  'typing', 'online_marketing', 'admin', 'game_operator', 'hospitality', 'driver', 'cleaner', 'warehouse',
  'entertainment', 'crypto', 'construction', 'sales', 'security',
]);

/** Job categories named in normalised text; `scan` runs the expressions over it (prefilter.ts), when given. */
export function detectJobs(t: string, scan: { test(re: RegExp): boolean } = { test: (re) => re.test(t) }): string[] {
  const out: string[] = [];
  for (const [id, re] of JOBS) if (scan.test(re)) out.push(id);
  return out;
}

// ---------------------------------------------------------------- contacts

const PHONE_RE = /(?<![\w/])(?:\+|00)?(?:\d[\s.-]?){8,14}\d(?![\w])/g;
// A bare domain starts where no letter, digit, dot or hyphen precedes it, with bounded labels: unanchored,
// a long run such as "a-a-a-…" or "a.a.a.…" was rescanned from every position (150 ms at 8,000 characters).
const LINK_RE = /\b(?:https?:\/\/|www\.)[^\s<>()"']+|\b(?:wa\.me|t\.me|bit\.ly|s\.id|tinyurl\.com|linktr\.ee|forms\.gle|shorturl\.at|cutt\.ly|chat\.whatsapp\.com)\/[^\s<>()"']*|(?<![a-z0-9.-])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.(?:com|net|org|id|co\.id|go\.id|my|sg|io|info|biz|xyz|online|site|top|vip|cc|me|ly|gl)\b(?:\/[^\s<>()"']*)?/gi;

/**
 * A bank named by itself: its short names, or "Bank" before a name that is also a word or a person's
 * ("Bank Mandiri", "Bank Permata", "Bank Jago": "mandiri", "Permata" and "jago" alone are not banks).
 * E-wallets (DANA, OVO, GoPay, GCash…) are not here: their account is the owner's phone number, and
 * counted as a phone it is recognised where the same number is given for WhatsApp.
 */
const BANK = String.raw`\b(?:bca|bri|bni|btn|bsi|cimb(?: niaga)?|danamon|seabank|bank (?:mandiri|permata|jago|mega|muamalat|syariah indonesia|neo commerce|dki|bjb))\b`;

/** A bank, then what may stand between it and the account's number ("BRI: ", "BCA No. "). */
const BANK_THEN = String.raw`${BANK}\s*(?::|#|no\.?|nomor|number)?\s*`;

/** Words right before a number that make it a bank account, not a phone ("rekening BCA No. 0812…", "BRI: 0812…"). */
const ACCOUNT_BEFORE = new RegExp(String.raw`\b(?:rekening|rek|norek|no\.? ?rek|nomor rekening|account|acct?|a\/c|iban|virtual account|va)\b[^\n\d]{0,20}$|${BANK_THEN}$`, 'i');

const ACCOUNT_HINT = new RegExp(String.raw`rek|acc|a\/c|iban|${BANK}`, 'i');

/**
 * A bank named right before a number ("ke BRI 0123-01-234567-50-1", "via BCA 8720 123 456"): the
 * number is an account, with no "rekening" said. Accounts have 10 to 16 digits; a sum written without
 * dots ("BNI 12000000", "1000000000") is not one, nor a year or a date first ("BRI 2024 0812…").
 */
const BANK_NUMBER = new RegExp(String.raw`${BANK_THEN}((?:\d[\s-]?){9,19}\d)(?!\d|[.,]\d)`, 'gi');
const NOT_AN_ACCOUNT = /^(?:19|20)\d\d[\s-]|^\d+0{6}$/;

/** Bank account numbers an offer asks to pay into: 6 to 20 digits after an account word, 10 to 16 right after a bank. */
export function extractAccounts(original: string): string[] {
  const out: string[] = [];
  // Each account word or bank below is in ACCOUNT_HINT: without one, nothing to look for.
  if (!ACCOUNT_HINT.test(original)) return out;
  const re = /\b(?:rekening|rek|norek|nomor rekening|account|acct?|a\/c|iban|virtual account)\b[^\n\d]{0,30}((?:\d[\s.-]?){5,19}\d)(?!\d)/gi;
  for (let m = re.exec(original); m; m = re.exec(original)) {
    const digits = m[1]!.replace(/\D/g, '');
    if (!out.includes(digits)) out.push(digits);
  }
  BANK_NUMBER.lastIndex = 0;
  for (let m = BANK_NUMBER.exec(original); m; m = BANK_NUMBER.exec(original)) {
    const digits = m[1]!.replace(/\D/g, '');
    if (digits.length > 16 || NOT_AN_ACCOUNT.test(m[1]!) || NOT_AN_ACCOUNT.test(digits)) continue;
    if (!out.includes(digits)) out.push(digits);
  }
  return out;
}

/** Telegram, Instagram or other @handles (not e-mail addresses): "@rekrut_dubai". */
export function extractHandles(original: string): string[] {
  const out: string[] = [];
  const re = /(?<![\w.@])@([a-z][a-z0-9_]{3,31})\b(?!\.[a-z])/gi;
  for (let m = re.exec(original); m; m = re.exec(original)) {
    const h = `@${m[1]!.toLowerCase()}`;
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

/** E-mail addresses, lower case. */
export function extractEmails(original: string): string[] {
  const out: string[] = [];
  // Anchored on the left and bounded (a long run of letters would otherwise be rescanned from every position).
  const re = /(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-z]{2,24}(?![\w-])/gi;
  for (let m = re.exec(original); m; m = re.exec(original)) {
    const e = m[0].toLowerCase();
    if (!out.includes(e)) out.push(e);
  }
  return out;
}

export function extractPhones(original: string): Array<{ value: string; s: number; e: number }> {
  const out: Array<{ value: string; s: number; e: number }> = [];
  PHONE_RE.lastIndex = 0;
  for (let m = PHONE_RE.exec(original); m; m = PHONE_RE.exec(original)) {
    const raw = m[0];
    // A year before a phone ("BRI 2024 0812 3456 7890"): look again from its next group.
    if (/^(?:19|20)\d\d\s/.test(raw)) {
      PHONE_RE.lastIndex = m.index + 5;
      continue;
    }
    // a bank account number is never a phone number
    if (ACCOUNT_BEFORE.test(original.slice(Math.max(0, m.index - 40), m.index))) continue;
    const digits = raw.replace(/[^\d]/g, '');
    if (digits.length < 9 || digits.length > 15) continue;
    // dotted money like 12.000.000 is not a phone number
    if (/^\d{1,3}(?:\.\d{3})+$/.test(raw)) continue;
    // dates and years glued together are not phones either: require a phone-like start
    const plus = raw.startsWith('+') || raw.startsWith('00');
    if (!plus && !/^0\d/.test(digits) && !/^62\d/.test(digits) && !/^8\d{8,}/.test(digits)) {
      // A count or a code before a phone ("kuota 150 0812 3456 7890"): look again from its next group.
      const gap = raw.search(/\s/);
      if (gap > 0) PHONE_RE.lastIndex = m.index + gap + 1;
      continue;
    }
    let value = plus ? `+${digits.replace(/^00/, '')}` : digits;
    if (!plus && digits.startsWith('62')) value = `+${digits}`;
    // 09XX XXX XXXX is a Philippine mobile.
    else if (!plus && PH_MOBILE.test(digits)) value = `+63${digits.slice(1)}`;
    else if (!plus && digits.startsWith('0')) value = `+62${digits.slice(1)}`;
    else if (!plus && digits.startsWith('8')) value = `+62${digits}`;
    if (!out.some((p) => p.value === value)) out.push({ value, s: m.index, e: m.index + raw.length });
  }
  return out;
}

/**
 * Where a link may be: every match of LINK_RE holds one of these (a scheme, "www.", or a dot between
 * a letter or digit and a letter or digit), and lies inside one run of characters LINK_RE's parts
 * allow (no space, <, >, (, ), " or ').
 */
const LINK_HINT = /:\/\/|www\.|[a-z0-9-]\.[a-z0-9]/gi;
const LINK_EDGE = /[\s<>()"']/;

type Found = Array<{ value: string; s: number; e: number }>;

/**
 * LINK_RE's matches in `text` from `start` on, kept in `out` (trimmed of trailing punctuation, once
 * each; not an e-mail's domain, not a dotted number). `text` begins at `from` in `original`.
 */
function linksIn(original: string, text: string, from: number, start: number, out: Found): void {
  LINK_RE.lastIndex = start;
  for (let m = LINK_RE.exec(text); m; m = LINK_RE.exec(text)) {
    const at = from + m.index;
    const value = m[0].replace(/[.,;:!?)]+$/, '');
    // e-mail domains are not links
    if (at > 0 && original[at - 1] === '@') continue;
    if (/^\d+(\.\d+)+$/.test(value)) continue;
    if (!out.some((l) => l.value === value)) out.push({ value, s: at, e: at + value.length });
  }
}

/**
 * Links, in order: LINK_RE run only over the runs of text around a hint, not over the whole text (it
 * tried its bare-domain form at every word: a twentieth of a check's time). Same matches.
 */
export function extractLinks(original: string): Found {
  const out: Found = [];
  LINK_HINT.lastIndex = 0;
  for (let h = LINK_HINT.exec(original); h; h = LINK_HINT.exec(original)) {
    let s = h.index;
    while (s > 0 && !LINK_EDGE.test(original[s - 1]!)) s--;
    let e = h.index + h[0].length;
    while (e < original.length && !LINK_EDGE.test(original[e]!)) e++;
    // One character before the run, for LINK_RE's look-behind and word boundary.
    const from = Math.max(0, s - 1);
    linksIn(original, original.slice(from, e), from, s - from, out);
    LINK_HINT.lastIndex = e;
  }
  return out;
}

/** The same by one scan of the whole text (the definition extractLinks keeps to; tests compare the two). */
export function extractLinksByScan(original: string): Found {
  const out: Found = [];
  linksIn(original, original, 0, 0, out);
  return out;
}
