/**
 * Command line for the job-offer checker.
 *
 *   npm run --silent check-offer -- --json  < offer.txt     one offer on stdin → one JSON verdict
 *   npm run --silent check-offer -- --jsonl < offers.jsonl  lines {"id","text"} → one verdict line each, same id, same order
 *   npm run --silent check-offer -- --lang en < offer.txt   human-readable verdict in Indonesian (id, default) or English
 *
 * With --json/--jsonl, adding --lang id|en also adds a "text" object with the human texts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { checkOffer, type Verdict } from './index.js';
import { REPO_ROOT } from './facts.js';

interface LocaleFile {
  flag: Record<string, { title: string; explain: string }>;
  advice: Record<string, string>;
  note: Record<string, string>;
  risk: Record<string, string>;
}

const args = process.argv.slice(2);
const langArg = args.includes('--lang') ? args[args.indexOf('--lang') + 1] : undefined;
const lang = langArg === 'en' ? 'en' : 'id';

function locale(): LocaleFile {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'locales', lang, 'checker.json'), 'utf8')) as LocaleFile;
}

function withText(v: Verdict, loc: LocaleFile) {
  return {
    ...v,
    text: {
      risk: loc.risk[v.risk] ?? v.risk,
      flags: v.flags.map((f) => ({ id: f.id, title: loc.flag[f.id]?.title ?? f.id, explain: loc.flag[f.id]?.explain ?? '' })),
      advice: v.advice.map((a) => loc.advice[a] ?? a),
      notes: v.notes.map((n) => loc.note[n] ?? n),
    },
  };
}

function human(v: Verdict, loc: LocaleFile): string {
  const lines: string[] = [];
  lines.push(`${loc.risk[v.risk] ?? v.risk} (${v.score.toFixed(2)})`);
  for (const n of v.notes) lines.push(`  ! ${loc.note[n] ?? n}`);
  for (const f of v.flags) {
    const t = loc.flag[f.id];
    lines.push(`${f.weight > 0 ? '⚠' : '✓'} ${t?.title ?? f.id}: ${t?.explain ?? ''}`);
    for (const e of f.evidence) lines.push(`    “${e}”`);
  }
  const facts = v.facts;
  const factBits = [facts.country && `${facts.country}${facts.destination ? ` (${facts.destination})` : ''}`, facts.job, ...(facts.pay ?? []).map((p) => `${p.amount} ${p.currency}${p.perMonthIdr ? ` ≈ Rp ${p.perMonthIdr.toLocaleString('id-ID')}/bln` : ''}`)].filter(Boolean);
  if (factBits.length) lines.push(`• ${factBits.join(' · ')}`);
  for (const a of v.advice) lines.push(`→ ${loc.advice[a] ?? a}`);
  return lines.join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  const loc = langArg ? locale() : undefined;
  if (args.includes('--jsonl')) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    const out: string[] = [];
    const flush = () => {
      if (out.length) process.stdout.write(out.join(''));
      out.length = 0;
    };
    for await (const line of rl) {
      if (!line.trim()) continue;
      let id: unknown = null;
      let text = '';
      let error: string | undefined;
      try {
        const obj = JSON.parse(line) as { id?: unknown; text?: unknown };
        id = obj.id ?? null;
        text = typeof obj.text === 'string' ? obj.text : '';
        if (typeof obj.text !== 'string') error = 'missing_text';
      } catch {
        error = 'invalid_json';
      }
      const v = checkOffer(text);
      const rec = { id, ...(loc ? withText(v, loc) : v), ...(error ? { error } : {}) };
      out.push(`${JSON.stringify(rec)}\n`);
      if (out.length >= 100) flush();
    }
    flush();
    return;
  }
  const input = await readStdin();
  const v = checkOffer(input);
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(loc ? withText(v, loc) : v)}\n`);
  } else {
    process.stdout.write(`${human(v, loc ?? locale())}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`check-offer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
