/**
 * Evaluate the job-offer checker (`npm run eval:checker`).
 *
 * 1. Held-back split of the project's corpus (test/fixtures/offers): precision, recall and
 *    false-alarm rate, counting a scam as caught at risk=high and at risk>=medium; per-flag counts.
 * 2. When ../shared/data/real/ exists (real ads and SMS the project may read but never train on or
 *    copy): false-alarm rates on loker-id.jsonl (genuine Indonesian ads), emscad.jsonl (recall on
 *    fraud, false alarms on genuine; its fraud ads are mostly US work-from-home scams, not
 *    trafficking) and sms-id.jsonl (everyday SMS, not job offers: should mostly be low).
 *
 * Options: --all (evaluate the whole corpus, not only the held-back split), --show-fa N (print up to
 * N false alarms per real set, for finding rules that misfire), --show-miss N.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkOffer, type Verdict } from '../src/checker/index.js';
import { loadCorpus, split } from '../src/checker/corpus.js';
import { REPO_ROOT } from '../src/checker/facts.js';

const args = process.argv.slice(2);
const argNum = (name: string): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1] ?? 5) : 0;
};
const showFa = argNum('--show-fa');
const showMiss = argNum('--show-miss');

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const atLeast = (v: Verdict, level: 'medium' | 'high') => (level === 'high' ? v.risk === 'high' : v.risk !== 'low');

interface Labelled { id: string; text: string; positive: boolean }

function confusion(items: Array<Labelled & { v: Verdict }>, level: 'medium' | 'high') {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const it of items) {
    const hit = atLeast(it.v, level);
    if (it.positive && hit) tp++;
    else if (it.positive) fn++;
    else if (hit) fp++;
    else tn++;
  }
  return {
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp + fn ? tp / (tp + fn) : 1,
    falseAlarm: fp + tn ? fp / (fp + tn) : 0,
    tp, fp, fn, tn,
  };
}

function report(title: string, items: Array<Labelled & { v: Verdict }>) {
  console.log(`\n== ${title} (${items.length} offers: ${items.filter((i) => i.positive).length} scam, ${items.filter((i) => !i.positive).length} genuine)`);
  for (const level of ['high', 'medium'] as const) {
    const c = confusion(items, level);
    console.log(`  caught at risk ${level === 'high' ? '= high  ' : '>= medium'}: precision ${pct(c.precision)}  recall ${pct(c.recall)}  false alarms ${pct(c.falseAlarm)}  (tp ${c.tp} fp ${c.fp} fn ${c.fn} tn ${c.tn})`);
  }
  const highNoEvidence = items.filter((i) => i.v.risk === 'high' && !i.v.flags.some((f) => f.weight > 0 && f.evidence.length > 0));
  console.log(`  high-risk verdicts without a quoted evidence span: ${highNoEvidence.length}`);
  const counts = new Map<string, { scam: number; genuine: number }>();
  for (const it of items) {
    for (const f of it.v.flags) {
      const c = counts.get(f.id) ?? { scam: 0, genuine: 0 };
      if (it.positive) c.scam++;
      else c.genuine++;
      counts.set(f.id, c);
    }
  }
  console.log('  per-flag counts (offers with the flag: scam / genuine):');
  for (const [id, c] of [...counts].sort((a, b) => b[1].scam + b[1].genuine - (a[1].scam + a[1].genuine))) {
    console.log(`    ${id.padEnd(26)} ${String(c.scam).padStart(4)} / ${String(c.genuine).padStart(4)}`);
  }
  if (showMiss) {
    for (const it of items.filter((i) => i.positive && i.v.risk === 'low').slice(0, showMiss)) {
      console.log(`  MISS ${it.id} score=${it.v.score} ${it.text.slice(0, 160).replace(/\n/g, ' ')}`);
    }
    for (const it of items.filter((i) => !i.positive && i.v.risk !== 'low').slice(0, showMiss)) {
      console.log(`  FA ${it.id} ${it.v.risk} score=${it.v.score} flags=${it.v.flags.map((f) => f.id).join(',')} ${it.text.slice(0, 160).replace(/\n/g, ' ')}`);
    }
  }
}

function readJsonl(file: string): Array<{ id: string; label: string; text: string }> {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; label: string; text: string });
}

function realSet(name: string, rows: Array<{ id: string; label: string; text: string }>, positiveLabel?: string) {
  const t0 = performance.now();
  const res = rows.map((r) => ({ ...r, v: checkOffer(r.text) }));
  const ms = (performance.now() - t0) / Math.max(1, rows.length);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  console.log(`\n== real: ${name} (${rows.length} texts, ${ms.toFixed(2)} ms per check)`);
  for (const label of labels) {
    const sub = res.filter((r) => r.label === label);
    const high = sub.filter((r) => r.v.risk === 'high').length / sub.length;
    const med = sub.filter((r) => r.v.risk !== 'low').length / sub.length;
    const kind = label === positiveLabel ? 'recall' : 'false alarms';
    console.log(`  ${label.padEnd(8)} n=${String(sub.length).padStart(4)}  ${kind}: risk=high ${pct(high)}  risk>=medium ${pct(med)}`);
  }
  const flagCounts = new Map<string, number>();
  for (const r of res.filter((x) => x.label !== positiveLabel)) for (const f of r.v.flags) if (f.weight > 0) flagCounts.set(f.id, (flagCounts.get(f.id) ?? 0) + 1);
  const top = [...flagCounts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([id, n]) => `${id} ${n}`).join(', ');
  console.log(`  red flags raised on non-fraud texts: ${top || 'none'}`);
  if (showFa) {
    const fas = res.filter((r) => r.label !== positiveLabel && r.v.risk !== 'low').slice(0, showFa);
    for (const r of fas) {
      console.log(`  FA ${r.id} ${r.v.risk} ${r.v.score} ${r.v.flags.filter((f) => f.weight > 0).map((f) => `${f.id}[${f.evidence[0]?.slice(0, 70) ?? ''}]`).join(' | ')}`);
    }
  }
}

interface RealOffer { id: string; lang: string; label: 'scam' | 'genuine'; family?: string; text: string }

function loadReal(dir: string): RealOffer[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readJsonl(path.join(dir, f)) as unknown as RealOffer[]);
}

/** Scams rated high (target >= 0.90) and low (<= 0.03), lawful offers rated high (<= 0.05): overall, per family, per language. */
function realOffers(title: string, rows: RealOffer[]) {
  const res = rows.map((r) => ({ ...r, v: checkOffer(r.text) }));
  const line = (name: string, sub: typeof res) => {
    const scam = sub.filter((r) => r.label === 'scam');
    const genuine = sub.filter((r) => r.label === 'genuine');
    const share = (xs: typeof res, risk: string) => (xs.length ? xs.filter((r) => r.v.risk === risk).length / xs.length : NaN);
    const parts = [];
    if (scam.length) parts.push(`scam n=${scam.length}: high ${pct(share(scam, 'high'))} medium ${pct(share(scam, 'medium'))} low ${pct(share(scam, 'low'))}`);
    if (genuine.length) parts.push(`genuine n=${genuine.length}: high ${pct(share(genuine, 'high'))} low ${pct(share(genuine, 'low'))}`);
    console.log(`  ${name.padEnd(22)} ${parts.join('  |  ')}`);
  };
  console.log(`\n== ${title} (${rows.length}: ${rows.filter((r) => r.label === 'scam').length} scam, ${rows.filter((r) => r.label === 'genuine').length} lawful)`);
  console.log('  targets: scam high >= 90%, scam low <= 3%, genuine high <= 5%');
  line('all', res);
  for (const lang of [...new Set(rows.map((r) => r.lang))].sort()) line(`[${lang}]`, res.filter((r) => r.lang === lang));
  for (const fam of [...new Set(rows.map((r) => r.family ?? ''))].sort()) line(`family ${fam || '-'}`, res.filter((r) => (r.family ?? '') === fam));
  if (showMiss && !title.includes('HELD-BACK')) {
    for (const r of res.filter((x) => x.label === 'scam' && x.v.risk !== 'high').slice(0, showMiss)) {
      console.log(`  MISS ${r.id} ${r.v.risk} ${r.v.score} ${r.v.notes.join(',')} ${r.v.flags.map((f) => f.id).join(',')} | ${r.text.slice(0, 140).replace(/\n/g, ' ')}`);
    }
    for (const r of res.filter((x) => x.label === 'genuine' && x.v.risk !== 'low').slice(0, showMiss)) {
      console.log(`  FA ${r.id} ${r.v.risk} ${r.v.score} ${r.v.flags.map((f) => f.id).join(',')} | ${r.text.slice(0, 140).replace(/\n/g, ' ')}`);
    }
  }
}

function main() {
  const corpus = loadCorpus();
  const { test } = split(corpus);
  const evalSet = args.includes('--all') ? corpus : test;
  const items = evalSet.map((o) => ({ id: o.id, text: o.text, positive: o.label === 'scam', v: checkOffer(o.text) }));
  report(args.includes('--all') ? 'corpus (all offers, includes training split)' : 'held-back split of test/fixtures/offers', items);
  for (const lang of ['id', 'en'] as const) {
    const sub = evalSet.filter((o) => o.lang === lang).map((o) => items.find((i) => i.id === o.id)!);
    const c = confusion(sub, 'high');
    const m = confusion(sub, 'medium');
    console.log(`  [${lang}] recall high ${pct(c.recall)} / >=medium ${pct(m.recall)}; false alarms high ${pct(c.falseAlarm)} / >=medium ${pct(m.falseAlarm)}`);
  }

  // a second, smaller hold-out written after the rules were tuned (never trained on)
  const freshDir = path.join(REPO_ROOT, 'test/fixtures/offers-fresh');
  if (existsSync(freshDir)) {
    const fresh = loadCorpus(freshDir);
    report('fresh hold-out test/fixtures/offers-fresh (written after tuning, never trained on)', fresh.map((o) => ({ id: o.id, text: o.text, positive: o.label === 'scam', v: checkOffer(o.text) })));
  }

  // Real offers quoted verbatim from public sources (fact-checks, warnings, news, official pages):
  // test/fixtures/offers-real is read while tuning (dev); test/fixtures/offers-heldout was gathered
  // apart and is never read while tuning (held-back). Targets per the checker issue.
  for (const [dir, title] of [
    ['test/fixtures/offers-real', 'real offers, dev (read while tuning)'],
    ['test/fixtures/offers-heldout', 'real offers, HELD-BACK (gathered apart, never read while tuning)'],
  ] as const) {
    const full = path.join(REPO_ROOT, dir);
    if (!existsSync(full)) continue;
    realOffers(title, loadReal(full));
  }

  const realDir = path.resolve(REPO_ROOT, '../shared/data/real');
  if (!existsSync(realDir)) {
    console.log(`\n(real data not found at ${realDir}: skipped)`);
    return;
  }
  const f = (n: string) => path.join(realDir, n);
  if (existsSync(f('loker-id.jsonl'))) realSet('loker-id.jsonl (genuine Indonesian job ads)', readJsonl(f('loker-id.jsonl')));
  if (existsSync(f('emscad.jsonl'))) realSet('emscad.jsonl (EMSCAD; fraud = mostly US work-from-home scams, not trafficking)', readJsonl(f('emscad.jsonl')), 'fraud');
  if (existsSync(f('sms-id.jsonl'))) realSet('sms-id.jsonl (Indonesian SMS, not job offers)', readJsonl(f('sms-id.jsonl')));
}

main();
