// A cheap first look, run by the conversation service on every message: might this text be a job
// offer? Only the checker's own offer words are looked for (no normalising, no model), so it costs
// one regular-expression scan of a long text and nothing at all for an ordinary short message. It may
// say yes to a long story about work; the checker itself then judges.
import { MAX_CHARS } from './detect.js';
import { OFFER_WORDS_RE } from './lexicon.js';

/** Shorter texts are answers, questions and commands, not pasted offers (the engine's choice steps use the same bound). */
export const OFFER_HINT_MIN = 100;

const OFFER_WORDS = new RegExp(OFFER_WORDS_RE, 'i');
/**
 * Or money promised to migrant workers, with an amount ("dana bantuan Rp150 juta untuk TKI"): not a
 * job offer, but the checker reads it (aid_by_chat), and a worker may forward one. A family writing
 * about a relative abroad names no such sum.
 */
const AID_WORDS = /\b(?:dana bantuan|bantuan (?:dana|sosial|tunai|kesehatan)|penghargaan|sumbangan|santunan)\b/i;
const MIGRANT_WORDS = /\b(?:tki|tkw|pmi|pekerja migran|tenaga kerja indonesia|pahlawan devisa)\b/i;
const SUM = /\b\d+(?:[.,]\d+)? ?(?:juta|jt|triliun|miliar)\b|\b(?:rp|nt)\b\.? ?\$?\.? ?\d|\b\d{1,3}(?:[.,]\d{3}){2,}/i;

/** True when `text` is long enough to be a pasted offer and uses the words offers use (lowongan, gaji, hiring…), or promises migrant workers a sum of aid. */
export function looksLikeOffer(text: string): boolean {
  if (text.length < OFFER_HINT_MIN) return false;
  const t = text.trim();
  if (t.length < OFFER_HINT_MIN) return false;
  // The checker reads no further than this either.
  const read = t.length > MAX_CHARS ? t.slice(0, MAX_CHARS) : t;
  return OFFER_WORDS.test(read) || (AID_WORDS.test(read) && MIGRANT_WORDS.test(read) && SUM.test(read));
}
