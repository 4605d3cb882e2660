/**
 * Before a text gathered from a public source joins the dev set (test/fixtures/offers-real), check that
 * it is not one of the held-back texts (test/fixtures/offers-heldout), which may come from the same
 * archives: `npx tsx scripts/heldout-overlap.ts candidates.jsonl ...` prints, for each candidate id,
 * the largest share of its word trigrams found in one held-back text (of the shorter of the two) and
 * nothing of the held-back texts themselves. 0.3 or more: the same text or template; delete it unread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HELDOUT_DIR, loadCorpus } from '../src/checker/corpus.js';

const trigrams = (text: string): Set<string> => {
  const w = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 2 < w.length; i++) out.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
  return out;
};

const shared = (a: Set<string>, b: Set<string>): number => {
  let n = 0;
  for (const g of a) if (b.has(g)) n++;
  return n / Math.max(1, Math.min(a.size, b.size));
};

const held = loadCorpus(HELDOUT_DIR).map((o) => trigrams(o.text));
for (const file of process.argv.slice(2)) {
  for (const line of readFileSync(path.resolve(file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { id: string; text: string };
    const g = trigrams(o.text);
    const best = held.reduce((m, h) => Math.max(m, shared(g, h)), 0);
    console.log(`${o.id}\t${best.toFixed(2)}`);
  }
}
