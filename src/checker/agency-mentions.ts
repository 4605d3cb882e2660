// What an offer names as the agency behind it: company names written "PT <Name>" (a run of up to six
// capitalised words) and licence numbers as offers write them ("SIP3MI No. …", "Izin No. KEP…",
// "licence no …"). Pure text reading, like the rest of the checker; the registry (src/agencies/registry.ts) looks them up in the imported list.

export interface AgencyMentions {
  /** Company names as written, with their "PT" ("PT Maju Jaya Abadi"), each once. */
  names: string[];
  /** Licence numbers as written ("KEP.123/MEN/2020"), each once. */
  licences: string[];
}

/** Words a company name has at most here: enough for "PT Bina Tenaga Kerja Indonesia Sejahtera Abadi". */
const MAX_WORDS = 6;
/** At most this many of each are looked up: an offer names its agency once or twice. */
export const MAX_MENTIONS = 3;

/**
 * Words that end a name, however they are written (an offer in capitals: "PT MAJU JAYA MEMBUKA
 * LOWONGAN KE TAIWAN"): what follows a company's name in offers, not what is in it.
 */
const STOP = new Set(
  [
    // what a company does in an offer (not "kerja": "Tenaga Kerja" is in many names)
    'membuka', 'buka', 'menerima', 'terima', 'mencari', 'cari', 'merekrut', 'rekrut', 'butuh', 'membutuhkan', 'dibutuhkan',
    'lowongan', 'loker', 'info', 'informasi', 'daftar', 'pendaftaran', 'kirim', 'lamaran', 'hubungi', 'kontak', 'segera',
    'menyalurkan', 'memberangkatkan', 'berangkat', 'bekerja', 'gaji', 'telah', 'sudah', 'sedang', 'akan', 'kini',
    'resmi', 'berizin', 'terdaftar', 'bersertifikat', 'sebagai', 'adalah', 'merupakan',
    'hiring', 'recruiting', 'recruits', 'opens', 'is', 'are', 'has', 'official', 'licensed', 'registered',
    // small words
    'yang', 'dengan', 'di', 'ke', 'dari', 'dan', 'atau', 'untuk', 'pada', 'oleh', 'kami', 'ini', 'itu',
    'in', 'at', 'for', 'the', 'to', 'from', 'and', 'or', 'with', 'of', 'by',
    // what comes next in a letterhead
    'alamat', 'jl', 'jln', 'jalan', 'telp', 'telepon', 'tlp', 'hp', 'wa', 'whatsapp', 'email', 'kantor', 'cabang', 'pusat',
    'address', 'phone', 'office', 'branch',
    // a licence or the authority, not the name
    'p3mi', 'sip3mi', 'siup3mi', 'bp2mi', 'kp2mi', 'p2mi', 'pptkis', 'izin', 'no', 'nomor', 'licence', 'license',
    // "PT" as "part-time" (kerja PT, loker PT/FT)
    'ft', 'admin', 'freelance', 'online', 'part', 'time', 'paruh', 'waktu', 'karyawan', 'staf', 'staff',
    'pt',
  ].map((w) => w.toLowerCase()),
);

/** Countries that end a name when they follow it ("PT MAJU JAYA TAIWAN"); the first word of a name may still be one. */
const PLACES = new Set([
  'taiwan', 'hongkong', 'hong', 'malaysia', 'singapura', 'singapore', 'jepang', 'japan', 'korea', 'arab', 'saudi', 'qatar',
  'dubai', 'uea', 'brunei', 'kamboja', 'cambodia', 'myanmar', 'thailand', 'polandia', 'poland', 'turki', 'eropa', 'europe', 'australia',
]);

/** A word that can be part of a name: starts with a capital letter or a digit ("Bina", "BINA", "21", "Karya-Mandiri"). */
const NAME_WORD = /^[\p{Lu}\p{N}][\p{L}\p{N}'’&-]*$/u;

/**
 * "PT", "PT.", "P.T.", "Pt." not inside a word ("PT.MAJU" too); "pt" in lower case is left: in chats
 * it is "part-time".
 */
const PT = /(?<![\p{L}\p{N}])P\.?[Tt](?:\.|(?![\p{L}\p{N}]))/gu;

function names(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PT)) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 120);
    const words: string[] = [];
    for (const raw of rest.split(/[ \t]+/)) {
      if (words.length >= MAX_WORDS) break;
      if (!raw) continue;
      // A line break, a comma, a full stop or a closing bracket ends the name (with the word before it).
      const end = /[\n,;:!?)(]|\.$/.test(raw);
      const word = raw.split(/[\n,;:!?()]/)[0]!.replace(/\.+$/, '');
      const lower = word.toLowerCase();
      if (word === '&') {
        words.push(word);
        continue;
      }
      if (!word || !NAME_WORD.test(word) || STOP.has(lower) || (words.length && PLACES.has(lower))) break;
      words.push(word);
      if (end) break;
    }
    while (words.at(-1) === '&') words.pop();
    if (!words.some((w) => /\p{L}{2}/u.test(w))) continue;
    out.push(`PT ${words.join(' ')}`);
  }
  return out;
}

/**
 * Where a licence number is announced: the name of the licence ("SIP3MI", "SIUP3MI", "izin",
 * "licence") with "No."/"Nomor" after it or before it, and a colon or not.
 */
const LICENCE_CUE =
  /(?<![\p{L}\p{N}])(?:(?:No\.?|Nomor|Nr\.?)\s*(?:Izin|SIP3MI|SIUP3MI|Licen[cs]e)|(?:SIP\s?3MI|SIP\s?P3MI|SIUP\s?3MI|SIUP\s?P3MI|SIUPPPMI|SIUP\s?PPTKIS|SIPPTKIS|Izin(?:\s+Usaha)?(?:\s+(?:P3MI|Penempatan|Resmi))?|Licen[cs]e|Lisensi)(?:\s*(?:No\.?|Nomor|Nr\.?|Number|#))?)\s*[:.]?\s*/giu;

/** A part of a licence number: has a digit, made of letters, digits, dots, slashes and dashes. */
const NUMBER_PART = /^[\p{L}\p{N}./-]*\p{N}[\p{L}\p{N}./-]*$/u;
/** An abbreviation inside a number ("KEP. 123", "B. 45"). */
const ABBREVIATION = /^\p{Lu}{1,5}\.?$/u;
/** Words that are the authority or the licence, not a number. */
const NOT_A_NUMBER = /^(?:BP2MI|KP2MI|P3MI|P2MI|SIP3MI|SIUP3MI|PPTKIS)$/i;

function licences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(LICENCE_CUE)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 100).split('\n')[0]!;
    // "KEP 45 / MEN / 2015" is "KEP 45/MEN/2015".
    const tokens = after.replace(/\s*\/\s*/g, '/').split(/\s+/).filter(Boolean);
    const parts: string[] = [];
    let digits = false;
    for (let i = 0; i < tokens.length; i++) {
      const raw = tokens[i]!;
      const end = /[,;)]$/.test(raw);
      const tok = raw.replace(/^\(/, '').replace(/[,;)]+$/, '');
      const next = tokens[i + 1]?.replace(/[,;.)]+$/, '');
      if (!digits) {
        // The number's first part: digits in it, or an abbreviation before them ("KEP. 123").
        if (NUMBER_PART.test(tok) && !NOT_A_NUMBER.test(tok.replace(/\.+$/, ''))) (parts.push(tok), (digits = true));
        else if (ABBREVIATION.test(tok) && !NOT_A_NUMBER.test(tok.replace(/\.$/, '')) && next && /\p{N}/u.test(next)) parts.push(tok);
        else break;
      } else if (/^(?:tahun|year)$/i.test(tok) && next && /^\d{4}$/.test(next)) {
        // "No. 123 Tahun 2020"; anything else after the number (a phone number, a word) is not part of it.
        parts.push(tok, next);
        i++;
      } else break;
      if (end) break;
    }
    const number = parts.join(' ').replace(/[.\-/]+$/, '');
    // A number of a digit or two ("izin 2 tahun") is not a licence number.
    if (/\p{N}/u.test(number) && number.replace(/[^\p{L}\p{N}]/gu, '').length >= 3) out.push(number);
  }
  return out;
}

const unique = (xs: string[], key: (s: string) => string) => {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && Boolean(seen.add(key(x))));
};

/** The company names and licence numbers an offer gives, in order, each once, at most MAX_MENTIONS of each. */
export function agencyMentions(text: string): AgencyMentions {
  return {
    names: unique(names(text), (n) => n.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).slice(0, MAX_MENTIONS),
    licences: unique(licences(text), (l) => l.toUpperCase().replace(/\s+/g, '')).slice(0, MAX_MENTIONS),
  };
}
