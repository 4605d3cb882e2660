/**
 * Build-time training of the checker's statistical model (`npm run train:checker`).
 *
 * 1. Rule stage on every training offer (normalised tokens + flag features).
 * 2. Naive Bayes (natural's BayesClassifier, sub-path import) with 5-fold out-of-fold log-odds.
 * 3. A small logistic layer over (sum of red-flag weights, sum of lawful weights, NB log-odds),
 *    fit on the out-of-fold values so the score is calibrated, not over-confident.
 * 4. Thresholds for low/medium/high from the out-of-fold scores.
 * 5. The final classifier (trained on the whole training split, training documents removed) and
 *    the calibration are written to src/checker/model.json. Start-up never trains.
 *
 * It also writes what start-up would otherwise work out: data/wages.yaml as src/checker/reference.json,
 * and the words of the rule expressions (prefilter.ts) as src/checker/prefilter.json.
 *
 * The training split of test/fixtures/offers is used (with --real, also test/fixtures/offers-real);
 * the held-back split and test/fixtures/offers-heldout are for evaluation only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pathToFileURL } from 'node:url';
import { analyse, prefilterWords } from './detect.js';
import { formatWordsTable, WORDS_PATH } from './prefilter.js';
import { loadCorpus, loadReal, split, fnv1a, type Offer } from './corpus.js';
import {
  loadBayesClass, nbFromClassifier, nbLogOdds, sigmoid, MODEL_PATH, type Calibration, type ModelFile,
  type NaturalBayesLike,
} from './model.js';
import { scoreInputs } from './index.js';
import { REPO_ROOT, REFERENCE_PATH, type WagesFile } from './facts.js';

const NB_CLIP = 12;
const MIN_DF = 2;
const FOLDS = 5;

interface Row { offer: Offer; features: string[]; risk: number; lawful: number; y: number }

function vocabulary(rows: Row[]): Set<string> {
  const df = new Map<string, number>();
  for (const r of rows) for (const f of new Set(r.features)) df.set(f, (df.get(f) ?? 0) + 1);
  return new Set([...df].filter(([, n]) => n >= MIN_DF).map(([f]) => f));
}

function trainNb(rows: Row[]): NaturalBayesLike {
  const Bayes = loadBayesClass();
  const vocab = vocabulary(rows);
  const c = new Bayes();
  for (const r of rows) {
    const feats = [...new Set(r.features.filter((f) => vocab.has(f)))];
    if (feats.length === 0) feats.push('EMPTY');
    c.addDocument(feats, r.offer.label);
  }
  c.train();
  return c;
}

function fitLogistic(x: number[][], y: number[], l2 = 0.05, iters = 4000, lr = 0.05): number[] {
  const d = x[0]!.length;
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = new Array<number>(d + 1).fill(0);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      let z = w[0]!;
      for (let j = 0; j < d; j++) z += w[j + 1]! * xi[j]!;
      const err = sigmoid(z) - y[i]!;
      g[0]! += err;
      for (let j = 0; j < d; j++) g[j + 1]! += err * xi[j]!;
    }
    for (let j = 0; j <= d; j++) {
      const reg = j === 0 ? 0 : l2 * w[j]!;
      w[j] = w[j]! - lr * (g[j]! / x.length + reg);
    }
  }
  return w;
}

export function train(): ModelFile {
  // The written corpus's training split; with --real, also the real offers of test/fixtures/offers-real
  // (never the held-back sets). Trained with them (2026-11-30), the model rated fewer written held-back
  // scams high (89.5 % against 97.4 %) and no more real held-back ones: kept out until there are more.
  const offers = [...split(loadCorpus()).train, ...(process.argv.includes('--real') ? loadReal() : [])];
  const rows: Row[] = offers.map((o) => {
    const a = analyse(o.text);
    const s = scoreInputs(a, 0);
    return { offer: o, features: a.features, risk: s.risk, lawful: s.lawful, y: o.label === 'scam' ? 1 : 0 };
  });

  // out-of-fold naive Bayes log-odds
  const fold = (o: Offer) => fnv1a(`fold:${o.id}`) % FOLDS;
  const oof = new Map<string, number>();
  for (let k = 0; k < FOLDS; k++) {
    const tr = rows.filter((r) => fold(r.offer) !== k);
    const te = rows.filter((r) => fold(r.offer) === k);
    const nb = nbFromClassifier(trainNb(tr), NB_CLIP);
    for (const r of te) oof.set(r.offer.id, nbLogOdds(nb, r.features).logOdds);
  }

  const X = rows.map((r) => [r.risk, r.lawful, oof.get(r.offer.id) ?? 0]);
  const Y = rows.map((r) => r.y);
  const w = fitLogistic(X, Y);
  const calibration: Calibration = { bias: w[0]!, wRisk: w[1]!, wLawful: w[2]!, wNb: w[3]! };

  // thresholds from out-of-fold scores
  const scores = rows.map((r, i) => ({ y: r.y, p: sigmoid(w[0]! + w[1]! * X[i]![0]! + w[2]! * X[i]![1]! + w[3]! * X[i]![2]!) }));
  const gen = scores.filter((s) => s.y === 0).map((s) => s.p).sort((a, b) => a - b);
  const q = (arr: number[], p: number) => arr[Math.min(arr.length - 1, Math.floor(p * arr.length))] ?? 0.5;
  const high = Math.min(0.85, Math.max(0.55, q(gen, 0.98) + 0.01));
  const medium = Math.min(0.5, Math.max(0.25, q(gen, 0.93) + 0.01));

  const final = trainNb(rows);
  const json = JSON.parse(JSON.stringify(final)) as Record<string, unknown>;
  json['docs'] = [];
  delete json['_events'];
  delete json['_eventsCount'];
  delete json['_maxListeners'];
  const file: ModelFile = {
    version: 1,
    trainedOn: {
      offers: rows.length,
      scam: rows.filter((r) => r.y === 1).length,
      genuine: rows.filter((r) => r.y === 0).length,
      split: `test/fixtures/offers, training split (fnv1a("waspada:"+id) % 5 != 0)${process.argv.includes('--real') ? ', and test/fixtures/offers-real' : ''}`,
    },
    natural: json,
    calibration,
    thresholds: { medium: Math.round(medium * 1000) / 1000, high: Math.round(high * 1000) / 1000 },
    nbClip: NB_CLIP,
  };
  // out-of-fold summary
  const rec = (t: number) => scores.filter((s) => s.y === 1 && s.p >= t).length / Math.max(1, scores.filter((s) => s.y === 1).length);
  const fa = (t: number) => scores.filter((s) => s.y === 0 && s.p >= t).length / Math.max(1, gen.length);
  console.log(JSON.stringify({
    calibration,
    thresholds: file.thresholds,
    oof: { recallHigh: rec(high), recallMedium: rec(medium), faHigh: fa(high), faMedium: fa(medium) },
    vocabulary: Object.keys(final.features).length,
  }, null, 2));
  return file;
}

/** Compile data/wages.yaml into src/checker/reference.json (read at start-up without a YAML parser). */
export function compileReference(): WagesFile {
  const y = parseYaml(readFileSync(path.join(REPO_ROOT, 'data/wages.yaml'), 'utf8')) as WagesFile & Record<string, unknown>;
  return { rates: y.rates, countries: y.countries };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ref = `${JSON.stringify(compileReference(), null, 1)}\n`;
  if (readFileSync(REFERENCE_PATH, 'utf8') !== ref) {
    // reference data changed: write it and train again in a fresh process that loads it
    writeFileSync(REFERENCE_PATH, ref);
    console.log(`wrote ${REFERENCE_PATH}; restarting`);
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  const words = formatWordsTable(prefilterWords());
  if (!existsSync(WORDS_PATH) || readFileSync(WORDS_PATH, 'utf8') !== words) {
    writeFileSync(WORDS_PATH, words);
    console.log(`wrote ${WORDS_PATH}`);
  }
  const file = train();
  writeFileSync(MODEL_PATH, `${JSON.stringify(file)}\n`);
  console.log(`wrote ${MODEL_PATH}`);
}
