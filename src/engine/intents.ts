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

/** Emergency words; a short message made only of these and filler words is a call for help. */
const EMERGENCY_CORE = ['tolong', 'darurat', 'help', 'sos', 'emergency'].map(squash);
const EMERGENCY_FILLER = new Set(
  ['saya', 'aku', 'kami', 'kita', 'me', 'us', 'please', 'pls', 'plis', 'tolong', 'bantu', 'bantuan', 'minta', 'cepat',
    'segera', 'urgent', 'now', 'dalam', 'in', 'danger', 'i', 'am', 'im', 'ada', 'keadaan', 'kak', 'pak', 'bu', 'mas', 'mbak']
    .map(squash),
);
/** Phrases that mean "I need help now" wherever they stand in a longer message. */
const EMERGENCY_ANYWHERE = [
  'tolong saya', 'tolong aku', 'tolong kami', 'tolong bantu saya', 'tolong bantu aku', 'tolong selamatkan',
  'selamatkan saya', 'saya dalam bahaya', 'aku dalam bahaya', 'kami dalam bahaya', 'help me', 'please help',
  'i am in danger', 'i m in danger', 'we are in danger', 'save me', 'sos',
].map((p) => ` ${squash(p)} `);

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
  if (trimmed.length > 400) return emergencyAnywhere(squash(trimmed)) ? 'emergency' : null;
  const words = tokens(trimmed);
  if (words.length === 0) return null;
  const whole = words.join(' ');
  if (words.length <= 4) {
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
  if (words.length <= 6 && isShortCallForHelp(words)) return 'emergency';
  if (emergencyAnywhere(whole)) return 'emergency';
  return null;
}

function isShortCallForHelp(words: string[]): boolean {
  let core = false;
  for (const w of words) {
    const isCore = EMERGENCY_CORE.some((c) => nearly(w, c));
    if (isCore) core = true;
    else if (!EMERGENCY_FILLER.has(w)) return false;
  }
  return core;
}

function emergencyAnywhere(squashed: string): boolean {
  const padded = ` ${squashed} `;
  return EMERGENCY_ANYWHERE.some((p) => padded.includes(p));
}

/** Language from a platform hint such as Telegram's language_code. */
export function langFromHint(hint: string | null | undefined): 'id' | 'en' | null {
  if (!hint) return null;
  const base = hint.toLowerCase().split(/[-_]/)[0];
  if (base === 'id' || base === 'in' || base === 'ms' || base === 'jv' || base === 'su') return 'id';
  if (base === 'en') return 'en';
  return null;
}
