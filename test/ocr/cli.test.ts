// check-offer reads pictures: --image FILE, and "image" lines in --jsonl (a failing line answers with
// its error and the batch goes on).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/checker/facts.js';
import { builtFile } from '../helpers/built.js';
import { drawNoText, drawText } from '../helpers/pictures.js';

function run(args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [builtFile('src/checker/cli.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, OCR_WORKERS: '1' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
    p.stdin.end(input);
  });
}

const SCAM =
  'Lowongan kerja admin di Sihanoukville, Kamboja. Gaji 18 juta per bulan, tanpa pengalaman. Tiket dan visa turis ditanggung perusahaan. Berangkat minggu depan, hubungi WA 0812-7788-9900.';

describe('check-offer with pictures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waspada-cli-pic-'));
    writeFileSync(join(dir, 'flyer.jpg'), await drawText(SCAM, { jpeg: 75 }));
    writeFileSync(join(dir, 'view.jpg'), await drawNoText());
    writeFileSync(join(dir, 'notes.txt'), 'just words');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--image FILE --json prints the verdict on the text read, with the text and its confidence', async () => {
    const r = await run(['--image', join(dir, 'flyer.jpg'), '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { risk: string; ocr: { text: string; confidence: number } };
    expect(v.risk).toBe('high');
    expect(v.ocr.text).toMatch(/Sihanoukville/);
    expect(v.ocr.confidence).toBeGreaterThan(50);
  }, 60_000);

  it('--image with a picture without writing prints the error and exits 2', async () => {
    const r = await run(['--image', join(dir, 'view.jpg'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: 'no_text' });
  }, 60_000);

  it('--jsonl takes "image" lines among text lines, answers each in order, and a failing line gives its error', async () => {
    const lines = [
      { id: 'a', image: join(dir, 'flyer.jpg') },
      { id: 'b', text: SCAM },
      { id: 'c', image: join(dir, 'missing.jpg') },
      { id: 'd', image: join(dir, 'notes.txt') },
      { id: 'e', image: join(dir, 'flyer.jpg'), text: 'Dikirim teman di grup Facebook' },
    ];
    const r = await run(['--jsonl'], lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; risk?: string; error?: string; ocr?: object });
    expect(out.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(out[0]).toMatchObject({ risk: 'high', ocr: { text: expect.stringMatching(/Kamboja/) } });
    expect(out[1]).toMatchObject({ risk: 'high' });
    expect(out[2]).toEqual({ id: 'c', error: 'no_such_file' });
    expect(out[3]).toEqual({ id: 'd', error: 'not_picture' });
    expect(out[4]).toMatchObject({ risk: 'high' });
  }, 90_000);
});
