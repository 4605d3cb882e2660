// A cheap first look, run by the conversation service on every message: might this text be a job
// offer? Only the checker's own offer words are looked for (no normalising, no model), so it costs
// one regular-expression scan of a long text and nothing at all for an ordinary short message. It may
// say yes to a long story about work; the checker itself then judges.
import { MAX_CHARS } from './detect.js';
import { OFFER_WORDS_RE } from './lexicon.js';

/** Shorter texts are answers, questions and commands, not pasted offers (the engine's choice steps use the same bound). */
export const OFFER_HINT_MIN = 100;

const OFFER_WORDS = new RegExp(OFFER_WORDS_RE, 'i');

/** True when `text` is long enough to be a pasted offer and uses the words offers use (lowongan, gaji, hiring…). */
export function looksLikeOffer(text: string): boolean {
  if (text.length < OFFER_HINT_MIN) return false;
  const t = text.trim();
  if (t.length < OFFER_HINT_MIN) return false;
  // The checker reads no further than this either.
  return OFFER_WORDS.test(t.length > MAX_CHARS ? t.slice(0, MAX_CHARS) : t);
}
