// bench/RESULTS.md: what `npm run bench` measured, where and when, every registered bench's figures
// against its targets (met / not met). A full run writes the whole file; `npm run bench -- <name>`
// replaces that bench's section and keeps the others' (each section says when it was measured).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export type Figures = Record<string, number | string>;

export interface Measured {
  date: string;
  commit: string;
  loadBefore: string;
  loadAfter: string;
}

export interface Section {
  /** from the module: bench/webhook.js → webhook */
  id: string;
  name: string;
  targets: Record<string, string>;
  figures?: Figures;
  /** a bench's own tables and notes (its figures' `markdown`) */
  markdown?: string;
  failed?: string;
  measured: Measured;
}

export const sectionId = (module: string) => module.replace(/^bench\//, '').replace(/\.js$/, '');

/** The 1, 5 and 15 minute load averages. */
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const sh = (cmd: string, args: string[], cwd: string) => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

/** The commit, and whether the sources built differed from it (others work in the same checkout). */
export function commitOf(root: string): string {
  const sha = sh('git', ['rev-parse', '--short=12', 'HEAD'], root) || 'unknown';
  const changed = sh('git', ['status', '--porcelain', '--untracked-files=all', '--', 'src', 'bench', 'package.json', 'package-lock.json'], root)
    .split('\n')
    .filter(Boolean).length;
  return changed ? `${sha} (+ ${changed} uncommitted file${changed > 1 ? 's' : ''} under src/, bench/ or package*.json when built)` : sha;
}

export function machine(): string[] {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const redis = /v=(\S+)/.exec(sh('redis-server', ['--version'], '/'))?.[1] ?? 'not found';
  return [`Machine: ${model}, ${cpus().length} cores, ${(memKb / 2 ** 20).toFixed(1)} GiB RAM`, `Node ${process.version}, Redis ${redis}`];
}

const TARGET = /^\s*(<=|>=|≤|≥|<|>|==|=)\s*(-?\d+(?:\.\d+)?)/;

/** met / not met against a target such as "<= 0.7" or ">= 0.97 (…)"; '' when the target says no number. */
export function judge(value: number | string | undefined, target: string): string {
  const m = TARGET.exec(target);
  if (!m) return '';
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not measured';
  const t = Number(m[2]);
  const ok = { '<=': value <= t, '≤': value <= t, '>=': value >= t, '≥': value >= t, '<': value < t, '>': value > t, '=': value === t, '==': value === t }[m[1]!];
  return ok ? 'met' : '**not met**';
}

const SPREAD = '_spread';
const cell = (v: unknown) => String(v ?? '—').replace(/\|/g, '\\|');
/** A figure with its spread, when the bench gave one (`<name>_spread`). */
const shown = (f: Figures, k: string) => (f[k] === undefined ? '—' : f[`${k}${SPREAD}`] !== undefined ? `${f[k]} (${f[`${k}${SPREAD}`]})` : String(f[k]));

function table(figures: Figures, targets: Record<string, string>): string[] {
  const keys = [...Object.keys(figures).filter((k) => !k.endsWith(SPREAD) && k !== 'markdown'), ...Object.keys(targets).filter((k) => !(k in figures))];
  const L = ['| figure | value (min–max) | target | |', '| --- | --- | --- | --- |'];
  for (const k of keys) L.push(`| ${k} | ${cell(shown(figures, k))} | ${cell(targets[k] ?? '')} | ${targets[k] ? judge(figures[k], targets[k]) : ''} |`);
  return L;
}

function renderSection(s: Section): string {
  const data = { name: s.name, targets: s.targets, figures: s.figures, failed: s.failed, measured: s.measured };
  const L = [
    `<!-- bench:${s.id} -->`,
    `## ${s.name}`,
    '',
    `Measured ${s.measured.date} at commit ${s.measured.commit}; load average ${s.measured.loadBefore} before, ${s.measured.loadAfter} after.`,
    `<!-- data ${JSON.stringify(data).replace(/--/g, '-\\u002d')} -->`,
    '',
  ];
  if (s.failed) L.push('Failed:', '', '```', s.failed.trim(), '```');
  if (s.figures) L.push(...table(s.figures, s.targets));
  if (s.markdown) L.push('', s.markdown.trim());
  L.push(`<!-- /bench:${s.id} -->`);
  return L.join('\n');
}

const SECTION = /<!-- bench:(\S+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g;

/** Sections of an earlier RESULTS.md, by id, verbatim, with their stored figures. */
function previous(file: string): Map<string, { text: string; data?: Omit<Section, 'id' | 'markdown'> }> {
  const out = new Map<string, { text: string; data?: Omit<Section, 'id' | 'markdown'> }>();
  if (!existsSync(file)) return out;
  for (const m of readFileSync(file, 'utf8').matchAll(SECTION)) {
    const d = /<!-- data (.*) -->/.exec(m[0])?.[1];
    let data;
    try {
      data = d ? JSON.parse(d) : undefined;
    } catch {
      data = undefined;
    }
    out.set(m[1]!, { text: m[0], data });
  }
  return out;
}

/**
 * Writes RESULTS.md: a header (this run), a summary of every target of every registered bench, then
 * one section per registered bench, in the order of the list: this run's, or else the one already in
 * the file (when this run did not measure it), or else a line saying it has not been measured yet.
 */
export function writeResults(file: string, o: { registered: { id: string; name: string; targets: Record<string, string> }[]; sections: Section[]; command: string; commit: string; loadBefore: string; loadAfter: string; date: string }) {
  const old = previous(file);
  const ours = new Map(o.sections.map((s) => [s.id, s]));
  const body: string[] = [];
  const summary = ['| bench | figure | value (min–max) | target | |', '| --- | --- | --- | --- | --- |'];
  for (const r of o.registered) {
    const s = ours.get(r.id);
    const kept = old.get(r.id);
    const figures = s ? s.figures : kept?.data?.figures;
    const targets = s ? s.targets : (kept?.data?.targets ?? r.targets);
    if (s) body.push(renderSection(s));
    else if (kept) body.push(kept.text);
    else body.push(`<!-- bench:${r.id} -->\n## ${r.name}\n\nNot measured yet: \`npm run bench -- ${r.id}\`.\n<!-- /bench:${r.id} -->`);
    const failed = s ? s.failed : kept?.data?.failed;
    for (const [k, t] of Object.entries(targets))
      summary.push(`| ${r.id} | ${k} | ${cell(figures ? shown(figures, k) : '—')} | ${cell(t)} | ${figures ? judge(figures[k], t) : failed ? '**failed**' : 'not measured'} |`);
  }
  const L = [
    '# Bench results',
    '',
    `Written by \`npm run bench\` (bench/run.ts); do not edit by hand. A full run rewrites this file; \`npm run bench -- <name>\` rewrites that bench's section and keeps the others (each section says when it was measured).`,
    '',
    `Last written ${o.date} by \`${o.command}\`:`,
    '',
    `- Commit: ${o.commit}`,
    ...machine().map((m) => `- ${m}`),
    `- Load average (1, 5, 15 min): ${o.loadBefore} before, ${o.loadAfter} after`,
    '',
    '## Targets',
    '',
    ...summary,
    '',
    body.join('\n\n'),
    '',
  ];
  writeFileSync(file, L.join('\n'));
}
