import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../src/checker/facts.js';
import { loadCorpus } from '../../src/checker/corpus.js';
import { loadReferenceData } from '../../src/content/data.js';
import { builtFile } from '../helpers/built.js';

function run(args: string[], input: string) {
  const r = spawnSync(process.execPath, [builtFile('src/checker/cli.ts'), ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 60_000 });
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

  it('says what the chat says: never "Low risk" above a warning sign, no level for a text too short to judge, no falsely exact score', () => {
    const flagged = run(['--lang', 'en'], 'Lowongan staf gudang di Bekasi, tanpa pengalaman. Gaji sesuai UMR. Kirim lamaran ke kantor kami di Jl. Industri 5.').out;
    expect(flagged).toContain('🟡 LOW RISK, BUT CHECK THE SIGN BELOW');
    expect(flagged).toContain('⚠ No experience');
    expect(flagged).not.toMatch(/🟢|Low risk \(|no clear warning signs/);
    const short = run(['--lang', 'en'], 'lowongan').out;
    expect(short).toContain('The text is too short to check well.');
    expect(short).not.toMatch(/risk/i);
    const high = run([], 'Kerja di Kamboja, gaji $1000, tanpa pengalaman, visa turis, paspor dipegang perusahaan.').out;
    expect(high.split('\n')[0]).toBe('🔴 RISIKO TINGGI');
    expect(high).not.toMatch(/\d\.\d\d\)|%/);
  }, 60_000);

  it('shows the contacts the chat shows, from the reviewed data: the ministry and the embassy for work abroad, none of theirs for a job in Indonesia', () => {
    const data = loadReferenceData(path.join(REPO_ROOT, 'data'));
    const value = (id: string) => data.contacts.get(id)!.channels[0]!.value;
    const abroad = run(['--lang', 'en'], 'Kerja di Kamboja, gaji $1000, tanpa pengalaman, visa turis, paspor dipegang perusahaan.').out;
    for (const id of ['kp2mi_siskop2mi', 'kp2mi_complaints', 'kbri_phnom_penh']) expect(abroad).toContain(value(id));
    const home = run(['--lang', 'en'], 'Lowongan kerja admin gudang di Bekasi. Biaya pendaftaran Rp 500.000 transfer dulu ke rekening BCA 1234567890. Gaji Rp 15.000.000 per bulan tanpa pengalaman, segera.').out;
    expect(home).toContain('Disnaker');
    expect(home).not.toContain('☎');
  }, 60_000);

  it('says truthfully how much of a long text was read', () => {
    const out = run(['--lang', 'en'], 'Lowongan staf gudang di Bekasi, gaji sesuai UMK. '.repeat(520).slice(0, 25_000)).out;
    expect(out).toContain('only the first 8,000 of its 25,000 characters were checked');
  }, 60_000);

  it('--lang en --json adds the human texts', () => {
    const r = run(['--json', '--lang', 'en'], 'Lowongan PRT ke Dubai, visa kunjungan, paspor dikumpulkan ke kantor.');
    const v = JSON.parse(r.out) as { text: { risk: string; advice: string[] } };
    expect(v.text.risk).toMatch(/risk/i);
    expect(v.text.advice.length).toBeGreaterThan(0);
  }, 60_000);
});
