/**
 * The labelled corpus of job offers in test/fixtures/offers/*.jsonl (written by the project, not
 * copied from real ads) and its fixed held-back split. Used by training, evaluation, tests, bench.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './facts.js';

export interface Offer {
  id: string;
  lang: 'id' | 'en';
  label: 'scam' | 'genuine';
  text: string;
}

export const CORPUS_DIR = path.join(REPO_ROOT, 'test/fixtures/offers');

export function loadCorpus(dir = CORPUS_DIR): Offer[] {
  const out: Offer[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line.trim()) out.push(JSON.parse(line) as Offer);
    }
  }
  return out;
}

/**
 * Real offers quoted verbatim from public sources (fact-checks, warnings, news, official pages), each
 * with its source in SOURCES-*.md: trained and tuned on. test/fixtures/offers-heldout is the real set
 * gathered apart and never trained or tuned on (evaluation only).
 */
export const REAL_DIR = path.join(REPO_ROOT, 'test/fixtures/offers-real');
export const HELDOUT_DIR = path.join(REPO_ROOT, 'test/fixtures/offers-heldout');

/** A real offer: its family (task, fake-institution, lawful-scheme...) and source besides the text. */
export interface RealOffer extends Offer {
  family?: string;
  source_url?: string;
}

export function loadReal(dir = REAL_DIR): RealOffer[] {
  return loadCorpus(dir) as RealOffer[];
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Fixed held-back split: about one offer in five, chosen by a hash of its id. */
export const isHeldBack = (id: string): boolean => fnv1a(`waspada:${id}`) % 5 === 0;

export function split(offers: Offer[]): { train: Offer[]; test: Offer[] } {
  return { train: offers.filter((o) => !isHeldBack(o.id)), test: offers.filter((o) => isHeldBack(o.id)) };
}
