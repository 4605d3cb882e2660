import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../src/checker/facts.js';
import { loadCorpus } from '../../src/checker/corpus.js';

function run(args: string[], input: string) {
  const r = spawnSync('npx', ['tsx', 'src/checker/cli.ts', ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('check-offer command line', () => {
  it('--json reads one offer from stdin and prints one JSON verdict', () => {
    const r = run(['--json'], 'Kerja di Kamboja, gaji $1000, tanpa pengalaman, visa turis, paspor dipegang perusahaan.');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const v = JSON.parse(lines[0]!) as { risk: string; score: number; flags: Array<{ id: string; evidence: string[] }>; facts: object; advice: string[] };
    expect(v.risk).toBe('high');
    expect(typeof v.score).toBe('number');
    expect(v.flags.every((f) => typeof f.id === 'string' && Array.isArray(f.evidence))).toBe(true);
    expect(v.facts).toBeTypeOf('object');
    expect(Array.isArray(v.advice)).toBe(true);
  }, 60_000);

  it('--json on empty input still prints a verdict', () => {
    const r = run(['--json'], '');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out) as { notes: string[] }).toMatchObject({ risk: 'low', notes: ['empty'] });
  }, 60_000);

  it('--jsonl answers each {id, text} line in order with the same id, for 200 offers and a line that is not JSON', () => {
    const corpus = loadCorpus();
    const offers = Array.from({ length: 200 }, (_, i) => corpus[i % corpus.length]!).map((o, i) => ({ id: `x${i}`, text: o.text }));
    const input = `${offers.map((o) => JSON.stringify(o)).join('\n')}\nnot json\n`;
    const r = run(['--jsonl'], input);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string | null; risk: string; error?: string });
    expect(lines).toHaveLength(201);
    expect(lines.slice(0, 200).map((l) => l.id)).toEqual(offers.map((o) => o.id));
    expect(lines[200]).toMatchObject({ id: null, error: 'invalid_json', risk: 'low' });
  }, 60_000);

  it('--lang en --json adds the human texts', () => {
    const r = run(['--json', '--lang', 'en'], 'Lowongan PRT ke Dubai, visa kunjungan, paspor dikumpulkan ke kantor.');
    const v = JSON.parse(r.out) as { text: { risk: string; advice: string[] } };
    expect(v.text.risk).toMatch(/risk/i);
    expect(v.text.advice.length).toBeGreaterThan(0);
  }, 60_000);
});
