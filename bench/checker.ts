/**
 * Benchmark of the job-offer checker: mean milliseconds per check over the project's corpus
 * (after a warm-up pass), and the time that loading the checker module adds to start-up, measured
 * in fresh child processes (node --import tsx) as the difference from an empty import.
 *
 * Run directly: `npx tsx bench/checker.ts`; from the bench runner: `await benchChecker()`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Compiled (dist/bench, run by npm run bench) or from source (tsx). */
const compiled = here.includes(`${path.sep}dist${path.sep}`);
const root = path.resolve(here, '..');

function childMs(code: string): number {
  const r = spawnSync(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  const m = /MS=([\d.]+)/.exec(r.stdout);
  if (!m) throw new Error(`child failed: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export async function benchChecker(): Promise<Record<string, number>> {
  const modUrl = pathToFileURL(path.join(root, compiled ? 'src/checker/index.js' : 'src/checker/index.ts')).href;
  const t0 = performance.now();
  const { checkOffer } = await import('../src/checker/index.js');
  const inProcessLoadMs = performance.now() - t0;
  const { loadCorpus } = await import('../src/checker/corpus.js');
  const corpus = loadCorpus();

  for (const o of corpus) checkOffer(o.text); // warm-up
  const rounds = 5;
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++) for (const o of corpus) checkOffer(o.text);
  const meanMs = (performance.now() - t1) / (rounds * corpus.length);

  // cold check (first call after load) and start-up cost in fresh processes
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const withChecker = childMs(`const t=performance.now(); await import(${JSON.stringify(modUrl)}); console.log('MS='+(performance.now()-t));`);
    loads.push(withChecker);
  }
  const bigText = corpus.map((o) => o.text).join('\n').slice(0, 8000);
  const t2 = performance.now();
  for (let i = 0; i < 20; i++) checkOffer(bigText);
  const longMs = (performance.now() - t2) / 20;

  return {
    offers: corpus.length,
    mean_ms_per_check: Number(meanMs.toFixed(3)),
    ms_per_check_8000_chars: Number(longMs.toFixed(3)),
    load_ms_child_process_median: Number(median(loads).toFixed(1)),
    load_ms_in_process: Number(inProcessLoadMs.toFixed(1)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchChecker().then((r) => {
    for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(32)} ${v}`);
  });
}
