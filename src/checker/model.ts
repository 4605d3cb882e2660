/**
 * The statistical part of the checker: a naive Bayes text classifier from `natural`, trained at
 * build time (src/checker/train.ts) and serialised into src/checker/model.json, plus the small
 * logistic layer that turns rule weights and the classifier's log-odds into a calibrated score.
 *
 * Loading restores the serialised classifier (no training at start-up). Scoring reads its counts
 * sparsely: natural's own getClassifications() multiplies probabilities over the whole vocabulary
 * and underflows to 0 for long offers, so the same Bernoulli-style naive Bayes is evaluated here
 * in log space over the features present.
 */
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { wordToken } from './normalise.js';

const require = createRequire(import.meta.url);

export interface NaturalBayesLike {
  features: Record<string, number>;
  docs: unknown[];
  classifier: {
    classFeatures: Record<string, Record<string, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  };
  addDocument(tokens: string[], label: string): void;
  train(): void;
}

export interface BayesClassifierStatic {
  new (stemmer?: unknown, smoothing?: number): NaturalBayesLike;
  restore(json: unknown, stemmer?: unknown): NaturalBayesLike;
}

export function loadBayesClass(): BayesClassifierStatic {
  // sub-path import: `natural`'s index pulls in database drivers
  return require('natural/lib/natural/classifiers/bayes_classifier.js') as BayesClassifierStatic;
}

export interface Calibration {
  bias: number;
  wRisk: number;
  wLawful: number;
  wNb: number;
}

export interface ModelFile {
  version: 1;
  trainedOn: { offers: number; scam: number; genuine: number; split: string };
  natural: unknown; // natural BayesClassifier JSON (training docs removed)
  calibration: Calibration;
  thresholds: { medium: number; high: number };
  nbClip: number;
}

export interface NbModel {
  index: Map<string, number>;
  /** feature of each index */
  keys: string[];
  /** index of each word-pair feature "a_b", by a then b */
  pairs: Map<string, Map<string, number>>;
  /** scratch for nbLogOddsOf: 1 for each feature already counted (cleared after each call) */
  seen: Uint8Array;
  /** what nbLogOddsOf reads of each word met so far (modelWord) */
  wordCache: Map<string, ModelWord>;
  logRatio: Float64Array; // log P(f|scam) - log P(f|genuine) per feature index
  missScam: number; // log of smoothing mass for unseen-in-class features
  missGen: number;
  prior: number; // log prior ratio
  clip: number;
}

export function nbFromClassifier(c: NaturalBayesLike, clip: number): NbModel {
  const keys = Object.keys(c.features);
  const index = new Map<string, number>();
  keys.forEach((k, i) => index.set(k, i));
  const cf = c.classifier.classFeatures;
  const tot = c.classifier.classTotals;
  const sm = c.classifier.smoothing;
  const scamF = cf['scam'] ?? {};
  const genF = cf['genuine'] ?? {};
  const tScam = tot['scam'] ?? 1;
  const tGen = tot['genuine'] ?? 1;
  const logRatio = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const a = scamF[i] ?? sm;
    const b = genF[i] ?? sm;
    logRatio[i] = Math.log(a / tScam) - Math.log(b / tGen);
  }
  const pairs = new Map<string, Map<string, number>>();
  keys.forEach((k, i) => {
    const m = /^([a-z][a-z0-9]*)_([a-z][a-z0-9]*)$/.exec(k);
    if (!m) return;
    let second = pairs.get(m[1]!);
    if (!second) pairs.set(m[1]!, (second = new Map()));
    second.set(m[2]!, i);
  });
  return {
    index,
    keys,
    pairs,
    seen: new Uint8Array(keys.length),
    wordCache: new Map(),
    logRatio,
    missScam: Math.log(sm / tScam),
    missGen: Math.log(sm / tGen),
    prior: Math.log(tScam / tGen),
    clip,
  };
}

/** Log-odds scam vs genuine for a bag of features; also the strongest contributing features. */
export function nbLogOdds(m: NbModel, feats: string[]): { logOdds: number; top: Array<[string, number]> } {
  let lo = m.prior;
  const seen = new Set<string>();
  const contrib: Array<[string, number]> = [];
  for (const f of feats) {
    if (seen.has(f)) continue;
    seen.add(f);
    const i = m.index.get(f);
    if (i === undefined) continue;
    const v = m.logRatio[i]!;
    lo += v;
    if (v > 0.7) contrib.push([f, v]);
  }
  contrib.sort((a, b) => b[1] - a[1]);
  const logOdds = Math.max(-m.clip, Math.min(m.clip, lo));
  return { logOdds, top: contrib.slice(0, 4) };
}

/**
 * What the model reads of one word: whether it is a stop word, the index of its stem's feature (-1:
 * none), and the indices of the pair features "word_next" by the next word (undefined: none).
 */
interface ModelWord {
  stop: boolean;
  unigram: number;
  pairs: Map<string, number> | undefined;
}

/** The words of a few thousand offers: enough for every word a check meets to be looked up once. */
const WORD_CACHE_MAX = 50_000;

function modelWord(m: NbModel, w: string): ModelWord {
  let e = m.wordCache.get(w);
  if (e === undefined) {
    const t = wordToken(w);
    e = { stop: t.stop, unigram: t.unigram === undefined ? -1 : (m.index.get(t.unigram) ?? -1), pairs: m.pairs.get(w) };
    if (m.wordCache.size < WORD_CACHE_MAX) m.wordCache.set(w, e);
  }
  return e;
}

/** scratch for nbLogOddsOf: each word's entry */
let wordsRead: ModelWord[] = [];

/**
 * nbLogOdds over the features `head` followed by the model's tokens of `words` (as visitModelTokens
 * gives them: each word's stem, then each pair of neighbouring words unless both are stop words),
 * without building the tokens: the same sum, in the same order, so the same result. A word's stem,
 * its feature and its pairs are looked up once (modelWord), not for every occurrence and pair.
 */
export function nbLogOddsOf(m: NbModel, head: readonly string[], words: readonly string[]): { logOdds: number; top: Array<[string, number]> } {
  let lo = m.prior;
  const seen = m.seen;
  const counted: number[] = [];
  const contrib: Array<[string, number]> = [];
  const add = (i: number | undefined) => {
    if (i === undefined || i < 0 || seen[i] === 1) return;
    seen[i] = 1;
    counted.push(i);
    const v = m.logRatio[i]!;
    lo += v;
    if (v > 0.7) contrib.push([m.keys[i]!, v]);
  };
  try {
    for (const f of head) add(m.index.get(f));
    const read = wordsRead.length >= words.length ? wordsRead : (wordsRead = new Array<ModelWord>(words.length * 2));
    for (let k = 0; k < words.length; k++) {
      const e = modelWord(m, words[k]!);
      read[k] = e;
      add(e.unigram);
    }
    for (let k = 0; k + 1 < words.length; k++) {
      const a = read[k]!;
      if (a.pairs === undefined || (a.stop && read[k + 1]!.stop)) continue;
      add(a.pairs.get(words[k + 1]!));
    }
  } finally {
    for (const i of counted) seen[i] = 0;
  }
  contrib.sort((a, b) => b[1] - a[1]);
  const logOdds = Math.max(-m.clip, Math.min(m.clip, lo));
  return { logOdds, top: contrib.slice(0, 4) };
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const MODEL_PATH = path.join(here, 'model.json');

export interface LoadedModel {
  file: ModelFile;
  nb: NbModel;
}

/**
 * Load the serialised model. The file holds natural's BayesClassifier JSON; its counts are read
 * directly (requiring natural's classifier module would add ~30 ms to start-up). `restoreNatural`
 * restores it through natural itself, for tools and tests.
 */
export function loadModel(file = MODEL_PATH): LoadedModel | undefined {
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as ModelFile;
  return { file: json, nb: nbFromClassifier(json.natural as NaturalBayesLike, json.nbClip) };
}

export function restoreNatural(file = MODEL_PATH): NaturalBayesLike {
  const json = JSON.parse(readFileSync(file, 'utf8')) as ModelFile;
  return loadBayesClass().restore(json.natural);
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
