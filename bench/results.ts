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

/** A row of the one table: a figure of a bench, and the same figure of the telegraf bot where the bench measured one. */
interface Row {
  bench: string;
  what: string;
  key: string;
  /** the telegraf WizardScene + @telegraf/session bot's figure in the same bench run, or why there is none */
  telegraf?: { key: string } | { none: string };
}

const NO_PEER = { none: 'none (not in the telegraf bot)' };

/** Every headline figure of the benches (the targeted ones and those the README quotes), in one table. */
export const ONE_TABLE: Row[] = [
  { bench: 'webhook', what: 'CPU per typed update, ms (Telegram webhook to reply)', key: 'waspada_cpu_ms_per_update', telegraf: { key: 'telegraf_cpu_ms_per_update' } },
  { bench: 'webhook', what: 'CPU ratio to the telegraf bot', key: 'waspada_cpu_ratio_vs_telegraf', telegraf: { none: '1 (the reference)' } },
  { bench: 'webhook', what: 'CPU ratio to the grammY bot', key: 'waspada_cpu_ratio_vs_grammy' },
  { bench: 'webhook', what: 'reply p50, ms (64 users in flight)', key: 'waspada_p50_ms', telegraf: { key: 'telegraf_p50_ms' } },
  { bench: 'webhook', what: 'reply p99, ms', key: 'waspada_p99_ms', telegraf: { key: 'telegraf_p99_ms' } },
  { bench: 'webhook', what: 'updates a second (one process)', key: 'waspada_updates_per_s', telegraf: { key: 'telegraf_updates_per_s' } },
  { bench: 'webhook', what: 'peak RSS, MB', key: 'waspada_peak_rss_mb', telegraf: { key: 'telegraf_peak_rss_mb' } },
  { bench: 'webhook', what: 'Redis commands per update (scripts counted inside)', key: 'waspada_redis_commands_per_update', telegraf: { key: 'telegraf_redis_commands_per_update' } },
  { bench: 'webhook', what: 'Redis round trips per update', key: 'waspada_redis_round_trips_per_update', telegraf: { key: 'telegraf_redis_round_trips_per_update' } },
  { bench: 'webhook', what: 'Redis round trips per update, one user at a time', key: 'waspada_redis_round_trips_per_update_one_user' },
  { bench: 'webhook', what: 'CPU ratio to BENCH_BEFORE', key: 'waspada_cpu_ratio_vs_before' },
  { bench: 'startup', what: 'start to first answer, ms (Dockerfile options)', key: 'start_ms_production_options', telegraf: { key: 'start_ms_telegraf' } },
  { bench: 'startup', what: 'start to first answer, ms (Node defaults)', key: 'start_ms_default_options', telegraf: { key: 'start_ms_telegraf' } },
  { bench: 'outbox', what: 'burst of 2,000 users, 30 msg/s limit: replies lost', key: 'replies_lost', telegraf: { key: 'telegraf_replies_lost' } },
  { bench: 'outbox', what: '… 429 answers after the first second (telegraf: all its 429s)', key: '429_after_first_second', telegraf: { key: 'telegraf_429' } },
  { bench: 'outbox', what: '… sustained rate, fraction of the limit', key: 'sustained_fraction_of_limit', telegraf: { none: 'sends inline; what the limit refuses is lost' } },
  { bench: 'outbox', what: '… "tolong" during the burst: reply after, ms', key: 'tolong_reply_ms', telegraf: { key: 'telegraf_tolong_reply_ms' } },
  { bench: 'whatsapp', what: 'WhatsApp Cloud webhook CPU per update, ms', key: 'whatsapp_cpu_ms_per_update', telegraf: { none: 'telegraf serves Telegram only' } },
  { bench: 'whatsapp', what: 'WhatsApp CPU ratio to Waspada\'s Telegram path', key: 'whatsapp_cpu_ratio_vs_telegram', telegraf: NO_PEER },
  { bench: 'conversation', what: 'engine + sessions on Redis, CPU per update, ms (no HTTP)', key: 'cpu_ms_per_update', telegraf: NO_PEER },
  { bench: 'hotline', what: '200 families at once: cases stored', key: 'cases_stored', telegraf: NO_PEER },
  { bench: 'hotline', what: '… CPU per report, ms', key: 'cpu_ms_per_submit', telegraf: NO_PEER },
  { bench: 'broadcast', what: 'Redis MB per million subscribers', key: 'redis_mb_per_million', telegraf: NO_PEER },
  { bench: 'broadcast', what: 'campaign: sustained fraction of 30 msg/s', key: 'sustained_fraction_of_limit', telegraf: NO_PEER },
  { bench: 'broadcast', what: 'campaign: duplicates', key: 'duplicates', telegraf: NO_PEER },
  { bench: 'broadcast', what: 'campaign: lost', key: 'lost', telegraf: NO_PEER },
  { bench: 'checker', what: 'offer check p50 at 2,000 characters, ms', key: 'p50_ms_2000_chars', telegraf: NO_PEER },
  { bench: 'checker', what: 'offer check p50 at 8,000 characters, ms', key: 'p50_ms_8000_chars', telegraf: NO_PEER },
  { bench: 'ocr', what: 'picture read p99, ms', key: 'ms_per_picture_p99', telegraf: NO_PEER },
  { bench: 'ocr', what: 'pictures a second, 2 workers', key: 'pictures_per_s_2_workers', telegraf: NO_PEER },
];

/**
 * The one table: each row's figure, the telegraf bot's beside it where the same bench run measured
 * one, the target and whether it is met, and when the bench ran. `data` maps a bench id to its figures.
 */
export function oneTable(data: Map<string, { figures?: Figures; targets: Record<string, string>; date?: string }>): string[] {
  const L = ['| bench | figure | Waspada | telegraf WizardScene + Redis session, same run | target | | measured |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of ONE_TABLE) {
    const d = data.get(r.bench);
    const f = d?.figures;
    const t = d?.targets[r.key] ?? '';
    const peer = !r.telegraf ? '—' : 'none' in r.telegraf ? r.telegraf.none : f ? shown(f, r.telegraf.key) : '—';
    const value = f ? shown(f, r.key) : 'not measured';
    L.push(`| ${r.bench} | ${cell(r.what)} | ${cell(value)} | ${cell(peer)} | ${cell(t)} | ${t && f ? judge(f[r.key], t) : ''} | ${d?.date?.slice(0, 16).replace('T', ' ') ?? '—'} |`);
  }
  return L;
}

/**
 * Writes RESULTS.md: a header (this run), a summary of every target of every registered bench, then
 * one section per registered bench, in the order of the list: this run's, or else the one already in
 * the file (when this run did not measure it), or else a line saying it has not been measured yet.
 */
export function writeResults(file: string, o: { registered: { id: string; name: string; targets: Record<string, string> }[]; sections: Section[]; command: string; commit: string; loadBefore: string; loadAfter: string; date: string }): string[] {
  const old = previous(file);
  const ours = new Map(o.sections.map((s) => [s.id, s]));
  const body: string[] = [];
  const summary = ['| bench | figure | value (min–max) | target | |', '| --- | --- | --- | --- | --- |'];
  const data = new Map<string, { figures?: Figures; targets: Record<string, string>; date?: string }>();
  for (const r of o.registered) {
    const s = ours.get(r.id);
    const kept = old.get(r.id);
    const figures = s ? s.figures : kept?.data?.figures;
    const targets = s ? s.targets : (kept?.data?.targets ?? r.targets);
    data.set(r.id, { figures, targets, date: s ? s.measured.date : kept?.data?.measured?.date });
    if (s) body.push(renderSection(s));
    else if (kept) body.push(kept.text);
    else body.push(`<!-- bench:${r.id} -->\n## ${r.name}\n\nNot measured yet: \`npm run bench -- ${r.id}\`.\n<!-- /bench:${r.id} -->`);
    const failed = s ? s.failed : kept?.data?.failed;
    for (const [k, t] of Object.entries(targets))
      summary.push(`| ${r.id} | ${k} | ${cell(figures ? shown(figures, k) : '—')} | ${cell(t)} | ${figures ? judge(figures[k], t) : failed ? '**failed**' : 'not measured'} |`);
  }
  const table1 = oneTable(data);
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
    '## One table',
    '',
    'Every headline figure, the telegraf WizardScene + @telegraf/session bot\'s beside it where the same bench run measured it (median of the repeats, min–max in brackets). The sections below say how each was measured.',
    '',
    ...table1,
    '',
    '## Targets',
    '',
    ...summary,
    '',
    body.join('\n\n'),
    '',
  ];
  writeFileSync(file, L.join('\n'));
  return table1;
}
