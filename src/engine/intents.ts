// Global intents: matched before the current step, at any step, in both languages, with typos.
import { distance, nearly, squash, tokens } from './text.js';

export type Intent = 'emergency' | 'menu' | 'language' | 'stop' | 'forget' | 'start';

/** Whole-message phrases, per intent (squashed form is computed once below). */
const PHRASES: Record<Intent, string[]> = {
  // "bahaya" (danger) is one letter from "bahasa" (language): exact matches win, so each means itself.
  emergency: ['tolong', 'darurat', 'help', 'sos', 'help me', 'tolong saya', 'tolong aku', 'emergency', 'bahaya', 'dalam bahaya'],
  menu: ['menu', 'menu utama', 'main menu', 'kembali ke menu', 'back to menu'],
  language: ['bahasa', 'language', 'ganti bahasa', 'change language', 'ubah bahasa', 'pilih bahasa'],
  stop: ['stop', 'berhenti', 'unsubscribe', 'keluar'],
  forget: ['hapus data', 'hapus data saya', 'delete my data', 'delete data', 'hapus semua data', 'lupakan saya', 'forget me'],
  // Greetings need no intent: a user outside any flow is taken to the start whatever they send.
  start: ['start', 'mulai', 'mulai lagi', 'restart'],
};

const COMMANDS: Record<string, Intent> = {
  '/start': 'start', '/menu': 'menu', '/bahasa': 'language', '/language': 'language', '/lang': 'language',
  '/stop': 'stop', '/hapus': 'forget', '/delete': 'forget', '/help': 'emergency', '/tolong': 'emergency',
  '/darurat': 'emergency', '/sos': 'emergency',
};

/** Emergency words, as whole words (with typos for the longer ones). */
const EMERGENCY_CORE = ['tolong', 'darurat', 'help', 'sos', 'emergency'].map(squash);
/**
 * Words after an emergency word that make it a request ("tolong cek", "help share", "help wanted")
 * rather than a plea. Filler words in between are skipped ("tolong bantu share", "tolong kami carikan").
 */
const REQUEST_AFTER = new Set(
  ['share', 'sebarkan', 'sebar', 'bagikan', 'cek', 'check', 'cekin', 'dicek', 'periksa', 'diperiksa', 'carikan', 'cari', 'cariin',
    'isi', 'diisi', 'hubungi', 'kirim', 'kirimkan', 'kirimin', 'baca', 'dibaca', 'lihat', 'liat', 'like', 'follow', 'forward',
    'info', 'infokan', 'infoin', 'jelaskan', 'jelasin', 'kasih', 'berikan', 'beri', 'tunjukkan', 'tanya', 'balas', 'jawab',
    'daftar', 'join', 'wanted', 'desk', 'center', 'centre', 'find', 'spread', 'apply', 'subscribe', 'rekomendasikan'].map(squash),
);
const FILLER_AFTER = new Set(['bantu', 'dibantu', 'bantuin', 'ya', 'yah', 'kak', 'gan', 'sis', 'min', 'dong', 'please', 'pls', 'plis', 'kami', 'us', 'kita'].map(squash));
/** Words before an emergency word that make it part of a name ("kontak darurat", "PT SOS", "dana darurat"). */
const NAME_BEFORE = new Set(
  ['kontak', 'nomor', 'nomer', 'no', 'contact', 'number', 'telepon', 'hp', 'pt', 'cv', 'dana', 'biaya', 'pintu', 'exit', 'tombol', 'fitur', 'layanan', 'service', 'keluarga'].map(squash),
);
/** Words of harm or captivity that, next to an emergency word, make any message a plea. */
const DISTRESS = new Set(
  ['ditahan', 'dikurung', 'disekap', 'dipukul', 'disiksa', 'dianiaya', 'diperkosa', 'dilecehkan', 'dijual', 'diculik', 'diancam',
    'dikunci', 'kabur', 'terjebak', 'dipaksa', 'ditipu', 'ketakutan', 'trapped', 'locked', 'beaten', 'sold', 'kidnapped', 'threatened',
    'abused', 'raped', 'forced', 'escape', 'escaped', 'hostage', 'danger', 'bahaya'].map(squash),
);
/** Phrases that are pleas wherever they stand (unless a request follows: "help me find workers"). */
const PLEA_PHRASES = [
  'tolong saya', 'tolong aku', 'tolong selamatkan', 'selamatkan saya', 'selamatkan kami', 'saya dalam bahaya', 'aku dalam bahaya',
  'kami dalam bahaya', 'help me', 'i am in danger', 'i m in danger', 'we are in danger', 'save me', 'save us',
].map((p) => squash(p).split(' '));
/** Longer than this, a message is a paste (an offer, a story): only an alert, never an interruption. */
export const LONG_MESSAGE = 300;

function isCore(w: string): boolean {
  return EMERGENCY_CORE.some((c) => nearly(w, c));
}

/** True when the words from `i` on ask for something ordinary ("…share", "…cek lowongan ini"). */
function requestFollows(words: string[], i: number): boolean {
  let k = i;
  while (k < words.length && FILLER_AFTER.has(words[k]!)) k++;
  return k < words.length && REQUEST_AFTER.has(words[k]!);
}

function pleaPositions(words: string[]): number[] {
  const out: number[] = [];
  words.forEach((w, i) => {
    if (!isCore(w)) return;
    if (i > 0 && NAME_BEFORE.has(words[i - 1]!)) return;
    if (requestFollows(words, i + 1)) return;
    out.push(i);
  });
  return out;
}

function hasPleaPhrase(words: string[]): boolean {
  return PLEA_PHRASES.some((p) => {
    for (let i = 0; i + p.length <= words.length; i++) {
      if (p.every((w, j) => words[i + j] === w) && !requestFollows(words, i + p.length)) return true;
    }
    return false;
  });
}

function emergencyWords(text: string): string[] {
  // "S.O.S", "s o s" and the SOS emoji are SOS.
  return tokens(text.replace(/\u{1F198}/gu, ' sos ').replace(/(^|[^\p{L}])s\s*\.?\s*o\s*\.?\s*s\.?(?![\p{L}])/giu, '$1 sos '));
}

/**
 * How an emergency shows in a message: 'interrupt' (a plea: the emergency flow starts at once),
 * 'alert' (a long text with a plea in it: the contacts are shown and the text is handled as usual,
 * so that a pasted offer is still checked), or null.
 */
export function emergencySignal(text: string): 'interrupt' | 'alert' | null {
  const words = emergencyWords(text.length > 20_000 ? text.slice(0, 20_000) : text);
  if (!words.length) return null;
  const pleas = pleaPositions(words);
  const distress = pleas.length > 0 && words.some((w) => DISTRESS.has(w));
  const phrase = hasPleaPhrase(words);
  if (text.length > LONG_MESSAGE) return phrase || distress ? 'alert' : null;
  if (pleas.length && (words.length <= 8 || pleas[0] === 0 || distress)) return 'interrupt';
  return phrase ? 'interrupt' : null;
}

const PHRASE_TABLE: { intent: Intent; phrase: string }[] = (Object.keys(PHRASES) as Intent[]).flatMap((intent) =>
  PHRASES[intent].map((p) => ({ intent, phrase: squash(p) })),
);

export function matchIntent(text: string): Intent | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('/')) {
    const cmd = trimmed.split(/[\s@]/, 1)[0]!.toLowerCase();
    const hit = COMMANDS[cmd];
    if (hit) return hit;
  }
  if (trimmed.length <= LONG_MESSAGE) {
    const words = tokens(trimmed);
    if (words.length > 0 && words.length <= 4) {
      const whole = words.join(' ');
      // Exact phrases first, then the single closest typo (a typo as close to two intents is neither).
      for (const { intent, phrase } of PHRASE_TABLE) if (whole === phrase) return intent;
      let best: Intent | null = null;
      let bestDistance = Infinity;
      let tie = false;
      for (const { intent, phrase } of PHRASE_TABLE) {
        if (!nearly(whole, phrase)) continue;
        const d = distance(whole, phrase);
        if (d < bestDistance) [best, bestDistance, tie] = [intent, d, false];
        else if (d === bestDistance && intent !== best) tie = true;
      }
      if (best && !tie) return best;
    }
  }
  return emergencySignal(trimmed) === 'interrupt' ? 'emergency' : null;
}

/** Language from a platform hint such as Telegram's language_code. */
export function langFromHint(hint: string | null | undefined): 'id' | 'en' | null {
  if (!hint) return null;
  const base = hint.toLowerCase().split(/[-_]/)[0];
  if (base === 'id' || base === 'in' || base === 'ms' || base === 'jv' || base === 'su') return 'id';
  if (base === 'en') return 'en';
  return null;
}
