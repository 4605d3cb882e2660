// Global intents: matched before the current step, at any step, in both languages, with typos.
import { withoutPolite } from './inputs.js';
import { closestTypo, nearly, squash, tokens, typoTargets } from './text.js';

export type Intent = 'emergency' | 'menu' | 'language' | 'stop' | 'forget' | 'start' | 'subscription' | 'safety' | 'exit';

/** Whole-message phrases, per intent (squashed form is computed once below). */
const PHRASES: Record<Intent, string[]> = {
  // "bahaya" (danger) is one letter from "bahasa" (language): exact matches win, so each means itself.
  emergency: ['tolong', 'darurat', 'help', 'sos', 'help me', 'tolong saya', 'tolong aku', 'emergency', 'bahaya', 'dalam bahaya'],
  menu: ['menu', 'menu utama', 'main menu', 'kembali ke menu', 'back to menu', 'ke menu', 'balik ke menu', 'kembali ke menu utama', 'go to menu'],
  language: ['bahasa', 'language', 'ganti bahasa', 'change language', 'ubah bahasa', 'pilih bahasa'],
  // Stopping also ends every alert subscription at once ("unsubscribe", "berhenti langganan").
  stop: ['stop', 'berhenti', 'unsubscribe', 'keluar', 'berhenti langganan', 'stop langganan', 'stop alerts'],
  forget: ['hapus data', 'hapus data saya', 'delete my data', 'delete data', 'hapus semua data', 'lupakan saya', 'forget me'],
  // Greetings need no intent: a user outside any flow is taken to the start whatever they send.
  start: ['start', 'mulai', 'mulai lagi', 'restart'],
  // What one is subscribed to (the alerts), not the status of a report: that is a menu item.
  subscription: ['status langganan', 'langganan saya', 'cek langganan', 'my subscription', 'subscription status', 'my subscriptions'],
  // Safety mode (someone else may read this phone): switched on and off in its own flow.
  safety: ['mode aman', 'safety mode', 'safe mode', 'mode rahasia'],
  // The exit word of safety mode (only there: elsewhere these are ordinary words). One letter, quick to
  // type and meaning nothing to someone looking over a shoulder.
  exit: ['x', 'xx', 'hapus chat', 'clear chat'],
};

const COMMANDS: Record<string, Intent> = {
  '/start': 'start', '/menu': 'menu', '/bahasa': 'language', '/language': 'language', '/lang': 'language',
  '/stop': 'stop', '/hapus': 'forget', '/delete': 'forget', '/help': 'emergency', '/tolong': 'emergency',
  '/darurat': 'emergency', '/sos': 'emergency', '/status': 'subscription', '/langganan': 'subscription', '/unsubscribe': 'stop',
  '/berhenti': 'stop', '/aman': 'safety', '/safe': 'safety', '/x': 'exit',
};

/** Emergency words, as whole words: these spellings, or a typo of the longer ones that keeps the first letter. */
const EMERGENCY_CORE = ['tolong', 'darurat', 'help', 'sos', 'emergency'].map(squash);
const EMERGENCY_SPELLINGS = new Set(['tolongin', 'tolonglah', 'tlg', 'tulung', 'tulungin', 'toloong', 'helpp', 'mayday'].map(squash));
const set = (words: string[]) => new Set(words.map(squash));
/**
 * Words after an emergency word that make it a request ("tolong cek", "help share", "help wanted",
 * "help you") rather than a plea. Filler words and pronouns in between are skipped ("tolong bantu
 * saya cek", "tolong kami carikan").
 */
const REQUEST_AFTER = set([
  'share', 'sebarkan', 'sebar', 'bagikan', 'cek', 'check', 'cekin', 'cekkan', 'dicek', 'dicekin', 'periksa', 'diperiksa', 'carikan',
  'cari', 'cariin', 'isi', 'diisi', 'hubungi', 'kirim', 'kirimkan', 'kirimin', 'baca', 'dibaca', 'lihat', 'liat', 'like', 'follow',
  'forward', 'info', 'infokan', 'infoin', 'infonya', 'jelaskan', 'jelasin', 'kasih', 'berikan', 'beri', 'tunjukkan', 'tanya', 'balas',
  'jawab', 'daftar', 'join', 'wanted', 'desk', 'center', 'centre', 'find', 'spread', 'apply', 'subscribe', 'rekomendasikan',
  'transfer', 'bayar', 'siapkan', 'terjemahkan', 'translate', 'ajari', 'ajarin', 'explain', 'understand', 'tell', 'with', 'you',
  'your', 'number', 'contact', 'nomor', 'kontak', 'call', 'telepon', 'telpon',
]);
/** A request to call or send someone who rescues is a plea after all ("tolong hubungi polisi"). */
const RESCUE_VERB = set(['hubungi', 'kirim', 'kirimkan', 'call', 'contact', 'telepon', 'telpon']);
const RESCUER = set(['polisi', 'kbri', 'kjri', 'kedutaan', 'keluarga', 'bantuan', 'police', 'embassy', 'family', 'help', 'ambulans', 'ambulance']);
const SKIP_AFTER = set([
  'bantu', 'dibantu', 'bantuin', 'ya', 'yah', 'kak', 'gan', 'sis', 'min', 'dong', 'please', 'pls', 'plis', 'kami', 'us', 'kita',
  'saya', 'aku', 'sy', 'gue', 'gw', 'me', 'i', 'kakak', 'pak', 'bu', 'segera', 'cepat', 'the',
]);
/** Words before an emergency word that make it part of a name ("kontak darurat", "PT SOS", "dana darurat"). */
const NAME_BEFORE = set([
  'kontak', 'nomor', 'nomer', 'no', 'contact', 'number', 'telepon', 'hp', 'pt', 'cv', 'dana', 'biaya', 'pintu', 'exit', 'tombol',
  'fitur', 'layanan', 'service', 'keluarga', 'agensi', 'agency', 'perusahaan', 'company', 'yayasan',
]);
const FIRST_PERSON = set(['saya', 'aku', 'sy', 'gue', 'gw', 'kami', 'kita', 'i', 'im', 'me', 'my', 'we', 'us', 'our', 'ku']);
/** Harm or captivity: a plea when it happens to the writer. */
const HARM = set([
  'disekap', 'dikurung', 'diculik', 'dianiaya', 'disiksa', 'diperkosa', 'dipukul', 'memukul', 'pukul', 'dijual', 'dirampas', 'disita',
  'diancam', 'dikunci', 'terkunci', 'trapped', 'kidnapped', 'beaten', 'beats', 'beat', 'raped', 'hostage', 'locked', 'abused',
  'threatened',
]);
/** Words of trouble that a question can also use ("apakah saya dalam bahaya kalau ikut?"). */
const TROUBLE = set(['ditahan', 'kabur', 'escape', 'dipaksa', 'forced', 'ditipu', 'bahaya', 'danger', 'ketakutan']);
/** Every phrase of each first part followed by each second part. */
const joinAll = (firsts: string[], seconds: string[]) => firsts.flatMap((a) => seconds.map((b) => `${a} ${b}`));
// ("s passport": a possessive, "my sister's passport")
const OWN_PASSPORT_EN = ['my passport', 'his passport', 'her passport', 'our passports', 'their passports', 's passport'];
/** Relatives a family writes of ("paspor istri saya", "paspor adikku"). */
const RELATIVES_ID = ['suami', 'istri', 'isteri', 'anak', 'adik', 'kakak', 'abang', 'ibu', 'bapak', 'ayah', 'keponakan', 'saudara', 'sepupu'];
/** A passport with its owner named: the writer's, theirs, a relative's. */
const OWN_PASSPORT_ID = ['paspor', 'pasport'].flatMap((p) => [
  `${p}nya`, `${p}ku`,
  ...['saya', 'sy', 'kami', 'dia', 'mereka'].map((o) => `${p} ${o}`),
  ...RELATIVES_ID.flatMap((r) => [`${p} ${r} saya`, `${p} ${r} sy`, `${p} ${r} kami`, `${p} ${r}ku`, `${p} ${r}nya`]),
]);
/** Taking a passport, said of whoever took it ("his boss took his passport"), not of the writer ("I kept my passport in my bag"). */
const PASSPORT_TAKING = ['took', 'took away', 'taken', 'kept', 'held', 'holding', 'confiscated', 'seized'];
const ACTIVE_HOLDING_ID = ['menahan', 'menyita', 'merampas', 'sita', 'rampas'];
const ACTIVE_HOLDING_EN = ['has', 'have', 'keeps', 'keep', 'holds', 'hold'];
const TAKING_FIRST = set([...PASSPORT_TAKING, ...ACTIVE_HOLDING_ID, ...ACTIVE_HOLDING_EN].map((p) => p.split(' ')[0]!));
/** Words between the writer and what they did ("I have taken", "we already took", "I am holding"). */
const BETWEEN_WRITER_AND_VERB = set(['have', 've', 'had', 'd', 'already', 'just', 'also', 'always', 'am', 'm', 'are', 're', 'was', 'were', 'still']);
const WRITER_SUBJECT = set(['i', 'we', 'im', 'saya', 'sy', 'aku', 'kami']);
/** True when the writer is who did what the words from `i` say ("I took my passport to the embassy"). */
function writerDid(words: string[], i: number): boolean {
  let k = i - 1;
  while (k >= 0 && BETWEEN_WRITER_AND_VERB.has(words[k]!)) k--;
  return k >= 0 && WRITER_SUBJECT.has(words[k]!);
}
/**
 * Harm told of anyone, the writer or their relative: unpaid, kept in, no food, a passport taken (the
 * withholding of identity papers is one of the ILO's forced-labour indicators). Only what has happened:
 * "will the agency keep my passport?" asks about a rule, "paspornya diambil" tells that it was taken.
 * (Tried and undone, 3 Dec: "cannot leave the house/dorm…", "tidak bisa keluar rumah/mess…", "dilarang
 * keluar": short offers and rules say them ("tidak bisa keluar rumah selama kontrak", "dilarang keluar
 * mess tanpa izin"), and so do ordinary days ("tidak bisa keluar rumah karena hujan"); an offer then
 * got the emergency screen instead of its verdict.)
 */
const HARM_PHRASES = [
  'tidak dibayar', 'tidak pernah dibayar', 'tidak digaji', 'not paid', 'not been paid', 'tidak boleh keluar', 'not allowed to leave',
  'no food', 'tidak dikasih makan',
  // whose passport is said: "paspor ditahan agensi selama kontrak" is a recruiter's rule, not a story
  ...joinAll(PASSPORT_TAKING, OWN_PASSPORT_EN),
  ...joinAll(OWN_PASSPORT_EN, [
    'was taken', 'were taken', 'has been taken', 'have been taken', 'was confiscated', 'were confiscated', 'has been confiscated', 'have been confiscated',
    'was seized', 'were seized',
  ]),
  // (the passive is often written apart: "paspor saya di tahan"; a relative's: "paspor istri saya diambil")
  ...joinAll(OWN_PASSPORT_ID, ['ditahan', 'diambil', 'disita', 'dirampas', 'dipegang'].flatMap((w) => [w, `di ${w.slice(2)}`])),
].map((p) => squash(p).split(' '));
/**
 * A passport held, said in the active voice ("majikan menahan paspor saya", "they have my passport"):
 * with no tense, it may be a question about a rule ("apakah agen boleh menahan paspor saya?"), so it
 * is trouble (a plea unless asked), not harm.
 */
const TROUBLE_PHRASES = [
  // (not "ambil", "mengambil", "pegang": "saya mau ambil paspor saya di imigrasi" picks it up)
  ...joinAll(ACTIVE_HOLDING_ID, OWN_PASSPORT_ID),
  // (not "their passports": an offer's rule, "the company holds their passports during the contract")
  ...joinAll(ACTIVE_HOLDING_EN, OWN_PASSPORT_EN.filter((o) => o !== 'their passports')),
].map((p) => squash(p).split(' '));
/** Questions and thanks use "tolong" and "help" too ("tolong, apakah PT ini resmi?", "thanks for your help"). */
const QUESTION = set([
  'apa', 'apakah', 'gimana', 'bagaimana', 'berapa', 'kenapa', 'mengapa', 'kapan', 'dimana', 'siapa', 'bisakah', 'bolehkah', 'how',
  'what', 'why', 'when', 'where', 'who', 'which', 'caranya',
]);
const THANKS = set(['thanks', 'thank', 'makasih', 'terimakasih', 'tq', 'thx', 'kasih']);
/** Phrases that are pleas wherever they stand (unless a request follows: "help me check this offer"). */
const PLEA_PHRASES = [
  'tolong saya', 'tolong aku', 'tolongin saya', 'tolongin aku', 'tolong bantu saya', 'tolong bantu aku', 'tolong kami',
  'tolong selamatkan', 'selamatkan saya', 'selamatkan kami', 'saya dalam bahaya', 'aku dalam bahaya', 'kami dalam bahaya',
  'sy dlm bahaya', 'saya dlm bahaya', 'help me', 'please help', 'help us', 'i am in danger', 'i m in danger', 'im in danger',
  'we are in danger', 'save me', 'save us', 'need help', 'butuh bantuan', 'perlu bantuan', 'minta tolong', 'i want to go home',
  'saya mau pulang', 'kami mau pulang', 'saya ingin pulang',
].map((p) => squash(p).split(' '));
/** Longer than this, a message is a paste (an offer, a story): an alert rather than an interruption. */
export const LONG_MESSAGE = 300;

function isCore(w: string): boolean {
  if (EMERGENCY_SPELLINGS.has(w)) return true;
  return EMERGENCY_CORE.some((c) => w === c || (w[0] === c[0] && nearly(w, c)));
}

function nextWord(words: string[], i: number): number {
  let k = i;
  while (k < words.length && SKIP_AFTER.has(words[k]!)) k++;
  return k;
}

/** True when the words from `i` on ask for something ordinary ("…share", "…cek lowongan ini"). */
function requestFollows(words: string[], i: number): boolean {
  const k = nextWord(words, i);
  if (k >= words.length || !REQUEST_AFTER.has(words[k]!)) return false;
  if (RESCUE_VERB.has(words[k]!)) {
    const r = nextWord(words, k + 1);
    if (r < words.length && RESCUER.has(words[r]!)) return false;
  }
  return true;
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

/** Phrases (as words) by their first word: a message is read once, whatever the number of phrases. */
type PhraseIndex = Map<string, string[][]>;
function phraseIndex(phrases: string[][]): PhraseIndex {
  const index: PhraseIndex = new Map();
  for (const p of phrases) {
    const list = index.get(p[0]!);
    if (list) list.push(p);
    else index.set(p[0]!, [p]);
  }
  return index;
}
const HARM_INDEX = phraseIndex(HARM_PHRASES);
const TROUBLE_INDEX = phraseIndex(TROUBLE_PHRASES);
const PLEA_INDEX = phraseIndex(PLEA_PHRASES);

function findPhrase(words: string[], phrases: PhraseIndex, checkRequest: boolean): boolean {
  for (let i = 0; i < words.length; i++) {
    const starting = phrases.get(words[i]!);
    if (!starting) continue;
    // "I took my passport to the embassy": the writer's own doing, no harm
    if (TAKING_FIRST.has(words[i]!) && writerDid(words, i)) continue;
    for (const p of starting) {
      if (i + p.length <= words.length && p.every((w, j) => words[i + j] === w) && (!checkRequest || !requestFollows(words, i + p.length))) return true;
    }
  }
  return false;
}

/** Harm that happens to the writer: a harm word with "saya", "my", "we"… within three words. */
function harmToWriter(words: string[]): 'harm' | 'trouble' | null {
  const near = (i: number) => {
    for (let j = Math.max(0, i - 3); j <= Math.min(words.length - 1, i + 3); j++) if (j !== i && FIRST_PERSON.has(words[j]!)) return true;
    return false;
  };
  if (findPhrase(words, HARM_INDEX, false) || words.some((w, i) => HARM.has(w) && near(i))) return 'harm';
  return words.some((w, i) => TROUBLE.has(w) && near(i)) || findPhrase(words, TROUBLE_INDEX, false) ? 'trouble' : null;
}

/** The words a plea is read in (of the first 20,000 characters). */
function emergencyWords(whole: string): string[] {
  const text = whole.length > 20_000 ? whole.slice(0, 20_000) : whole;
  // "S.O.S", "s o s" and the SOS emoji are SOS; "I'm" is one word.
  return tokens(
    text
      .replace(/\u{1F198}/gu, ' sos ')
      .replace(/(^|[^\p{L}])s\s*\.?\s*o\s*\.?\s*s\.?(?![\p{L}])/giu, '$1 sos ')
      .replace(/\b(i)['’]m\b/giu, 'im'),
  );
}

/**
 * How an emergency shows in a message: 'interrupt' (a plea: the emergency flow starts at once),
 * 'alert' (a long text with a plea in it: the contacts are shown first, and a text the current step
 * asked for, such as an offer to check, is still handled), or null.
 */
export function emergencySignal(text: string): 'interrupt' | 'alert' | null {
  const words = emergencyWords(text);
  if (!words.length) return null;
  const pleas = pleaPositions(words);
  const harm = harmToWriter(words);
  const phrase = findPhrase(words, PLEA_INDEX, true);
  if (text.length > LONG_MESSAGE) return phrase || harm ? 'alert' : null;
  if (harm === 'harm') return 'interrupt';
  const asking = text.includes('?') || words.some((w) => QUESTION.has(w) || THANKS.has(w));
  if (asking) return null;
  if (harm === 'trouble') return 'interrupt';
  if (pleas.length && (words.length <= 8 || pleas[0] === 0)) return 'interrupt';
  return phrase ? 'interrupt' : null;
}

/** Every phrase, squashed, with its intent: exact matches by a lookup, typos by closestTypo. */
const PHRASE_TABLE = typoTargets(
  (Object.keys(PHRASES) as Intent[]).flatMap((intent) => PHRASES[intent].map((p) => ({ text: squash(p), value: intent }))),
);
/** The first intent of each phrase (an exact phrase means the intent listed first). */
const EXACT_PHRASES = new Map<string, Intent>();
for (const { text, value } of PHRASE_TABLE) if (!EXACT_PHRASES.has(text)) EXACT_PHRASES.set(text, value);

/**
 * What a message asks for: a global intent, or (a long text with a plea in it) an emergency alert.
 * One reading of the text serves both, so a long paste is scanned for a plea once.
 */
/**
 * `phrase`: the intent is the whole message (a command, or a short phrase such as "tolong" or "menu"),
 * not a plea found inside a longer text.
 */
export function readIntent(text: string): { intent: Intent | null; alert: boolean; phrase?: boolean } {
  const trimmed = text.trim();
  if (trimmed.startsWith('/')) {
    const cmd = trimmed.split(/[\s@]/, 1)[0]!.toLowerCase();
    const hit = COMMANDS[cmd];
    if (hit) return { intent: hit, alert: false, phrase: true };
  }
  if (trimmed.length <= LONG_MESSAGE) {
    const words = tokens(trimmed);
    if (words.length > 0 && words.length <= 4) {
      const whole = words.join(' ');
      // Exact phrases first, then the single closest typo (a typo as close to two intents is neither).
      const intent = EXACT_PHRASES.get(whole) ?? closestTypo(whole, PHRASE_TABLE);
      if (intent) return { intent, alert: false, phrase: true };
      // "menu kak", "stop dong", "hapus data saya kak": the same phrase with words of politeness around it.
      const bare = withoutPolite(trimmed);
      if (bare && bare !== whole) {
        const polite = EXACT_PHRASES.get(bare) ?? closestTypo(bare, PHRASE_TABLE);
        if (polite) return { intent: polite, alert: false, phrase: true };
      }
    }
  }
  const signal = emergencySignal(trimmed);
  return { intent: signal === 'interrupt' ? 'emergency' : null, alert: signal === 'alert' };
}

export function matchIntent(text: string): Intent | null {
  return readIntent(text).intent;
}

/** A squashed word as it may be written: each letter once or more ("traped" for "trapped", "kidnapped"). */
const asWritten = (squashed: string) => squashed.replace(/\p{L}/gu, (c) => `${c}+`);
const FIRST_LOOK = new RegExp(
  `(?:^|[^\\p{L}])(?:${[...[...EMERGENCY_CORE, ...EMERGENCY_SPELLINGS, ...HARM, ...TROUBLE].map(asWritten), 'tolo+ng\\p{L}*', 'tulung\\p{L}*', 's\\W?o\\W?s', 'bahaya', 'danger', 'passports?', 'paspor\\p{L}*'].join('|')})(?![\\p{L}])|\u{1F198}`,
  'iu',
);

/**
 * A cheap first look at a message, before it is queued: might it be a plea for help? It may say yes
 * too often (the full reading, emergencySignal, decides) but catches every plain spelling, so such a
 * message can be handled ahead of a queue of others. Typos it misses are still handled, in turn.
 */
export function mightBeUrgent(text: string): boolean {
  if (FIRST_LOOK.test(text)) return true;
  // The phrases the full reading takes as harm or a plea without any of those words ("saya tidak boleh
  // keluar", "gaji saya tidak dibayar", "butuh bantuan"), read as it reads them.
  const words = emergencyWords(text);
  return findPhrase(words, HARM_INDEX, false) || findPhrase(words, TROUBLE_INDEX, false) || findPhrase(words, PLEA_INDEX, false);
}

/** Language from a platform's hint (the language the person's app is set to). */
export function langFromHint(hint: string | null | undefined): 'id' | 'en' | null {
  if (!hint) return null;
  const base = hint.toLowerCase().split(/[-_]/)[0];
  if (base === 'id' || base === 'in' || base === 'ms' || base === 'jv' || base === 'su') return 'id';
  if (base === 'en') return 'en';
  return null;
}
