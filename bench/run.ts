// npm run bench: builds, then runs each benchmark in its own process with the production Node
// options (see Dockerfile), so figures are those of the compiled code that deployments run, and
// writes bench/RESULTS.md (bench/results.ts): the run's machine and settings, every registered bench's
// figures against its targets. `npm run bench -- <name>` runs the benches whose module names <name>.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitOf, judge, loadavg, sectionId, writeResults, type Figures, type Section } from './results.js';
import { DOCKER_NODE_OPTIONS } from './waspada-env.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The Docker image's Node options (read from the Dockerfile). */
export const PRODUCTION_NODE_OPTIONS = DOCKER_NODE_OPTIONS;

interface Bench {
  name: string;
  module: string;
  fn: string;
  targets?: Record<string, string>;
  /** Node options of the bench's own process; default PRODUCTION_NODE_OPTIONS. */
  node?: string[];
}

const BENCHES: Bench[] = [
  {
    name: 'conversation service + engine on Redis (5-step script x 1,000 users, no HTTP)',
    module: 'bench/conversation.js',
    fn: 'benchConversation',
    targets: { cpu_ms_per_update: '<= 0.3', peak_rss_mb: '<= 100' },
  },
  {
    name: 'Telegram webhook path, side by side: Waspada as deployed (and without its heap flags) against a telegraf WizardScene + @telegraf/session bot, a grammY + storage-redis bot and a bare node:http floor, on the same typed conversation',
    module: 'bench/webhook.js',
    fn: 'benchWebhook',
    // The driver runs with Node's defaults, as the independent harness does; each bot gets its own.
    node: [],
    targets: {
      waspada_cpu_ratio_vs_telegraf: '<= 0.7',
      waspada_cpu_ratio_vs_grammy: '<= 0.7',
      waspada_p99_ratio_vs_telegraf: '<= 1',
      waspada_p99_ratio_vs_grammy: '<= 1',
      waspada_peak_rss_mb: '<= 120',
      waspada_redis_commands_per_update: '<= 6',
      waspada_redis_round_trips_per_update: '<= 3',
      waspada_redis_commands_per_update_one_user: '<= 6',
      waspada_redis_round_trips_per_update_one_user: '<= 3',
      waspada_cpu_ratio_vs_before: '<= 1.10 (with BENCH_BEFORE=<git ref>)',
    },
  },
  {
    name: 'WhatsApp Cloud API webhook path beside Telegram’s: the same typed conversation, posted as Meta posts it (signed with X-Hub-Signature-256) and as Telegram does, to a Waspada server process per channel as deployed, each with its own fake (Graph API, Bot API) without rate limits: CPU per update, p50/p99, peak RSS',
    module: 'bench/whatsapp.js',
    fn: 'benchWhatsapp',
    // Like the webhook bench: the driver (and the fakes) with Node's defaults, the servers with the Dockerfile's.
    node: [],
    targets: { failed: '= 0', graph_refusals: '= 0' },
  },
  {
    name: 'durable outbox: 2 server processes, one fake Bot API enforcing 30 msg/s (any second) and 1/s per chat, a burst of 2,000 users and one "tolong"; the same burst, in turns, to 2 processes of the telegraf WizardScene + @telegraf/session bot',
    module: 'bench/outbox.js',
    fn: 'benchOutbox',
    targets: { sustained_fraction_of_limit: '>= 0.97', '429_after_first_second': '= 0', replies_lost: '= 0', tolong_reply_ms: '<= 2000' },
  },
  {
    name: 'broadcasts: 1,000,000 subscribers on a private redis-server (bytes per subscriber, add rate, segment counts), and campaigns through the worker (startWorker) to a strict fake Bot API at 30 msg/s and 1/s per chat',
    module: 'bench/broadcast.js',
    fn: 'benchBroadcast',
    targets: {
      redis_mb_per_million: '<= 200',
      count_every_topic_ms: '< 1000',
      sustained_fraction_of_limit: '>= 0.97',
      '429_after_first_second': '= 0',
      duplicates: '= 0',
      lost: '= 0',
    },
  },
  {
    name: 'hotline: 200 families submit their reports at once (conversation service, engine, sealed cases on Redis)',
    module: 'bench/hotline.js',
    fn: 'benchHotline',
    targets: { cases_stored: '= 200', distinct_case_numbers: '= 200', failed_submits: '= 0' },
  },
  { name: 'job-offer checker', module: 'bench/checker.js', fn: 'benchChecker', targets: { p50_ms_2000_chars: '<= 1', p50_ms_8000_chars: '<= 4', mean_ms_per_check: '<= 2', startup_ms: '<= 300', jsonl_200_offers_ms: '< 5000' } },
  {
    name: 'reading pictures of offers (OCR, src/ocr): ms a picture one at a time, pictures a second with OCR_WORKERS 1 and 2, peak RSS and RSS a worker, busy refusals at a full queue',
    module: 'bench/ocr.js',
    fn: 'benchOcr',
    targets: { ms_per_picture_p99: '< 15000 (the time limit a picture)', failed_reads: '= 0' },
  },
  { name: 'start-up: compiled server (node dist/src/cli.js serve) to its first /healthz 200, fresh processes, with the Dockerfile NODE_OPTIONS and without', module: 'bench/startup.js', fn: 'benchStartup', node: [], targets: { start_ms_production_options: '<= 500', start_ms_default_options: '<= 500' } },
];

/** Runs a bench's process: its stderr shown as it comes (progress) and kept (for a failure). */
function runChild(args: string[]): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-20_000);
      process.stderr.write(c);
    });
    child.on('close', (status, signal) => done({ status, signal, stdout, stderr }));
  });
}

async function main() {
  const only = process.argv.slice(2);
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const commit = commitOf(ROOT);
  const loadBefore = loadavg();
  process.stdout.write('building (tsc)…\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.bench.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts/copy-assets.mjs')], { stdio: 'inherit' });
  const sections: Section[] = [];
  for (const b of BENCHES) {
    if (only.length && !only.some((o) => b.module.includes(o))) continue;
    const file = join(ROOT, 'dist', b.module);
    if (!existsSync(file)) continue;
    const code = `import(${JSON.stringify(file)}).then(async (m) => { const f = await m.${b.fn}(); process.stdout.write('\\n' + JSON.stringify(f)); })`;
    process.stdout.write(`\n## ${b.name}\n`);
    const load0 = loadavg();
    const r = await runChild([...(b.node ?? PRODUCTION_NODE_OPTIONS), '--input-type=module', '-e', code]);
    const measured = { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), commit, loadBefore: load0, loadAfter: loadavg() };
    const section: Section = { id: sectionId(b.module), name: b.name, targets: b.targets ?? {}, measured };
    sections.push(section);
    if (r.status !== 0) {
      section.failed = `exit ${r.status ?? r.signal}\n${r.stderr.slice(-4000)}`;
      process.stdout.write(`failed (exit ${r.status ?? r.signal})\n`);
      process.exitCode = 1;
      continue;
    }
    const { markdown, ...figures } = JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
    section.figures = figures;
    if (typeof markdown === 'string') section.markdown = markdown;
    for (const [k, v] of Object.entries(figures)) {
      if (k.endsWith('_spread')) continue;
      const target = b.targets?.[k];
      const spread = figures[`${k}_spread`];
      const shown = spread === undefined ? String(v) : `${v} (${spread})`;
      process.stdout.write(`  ${k.padEnd(40)} ${shown.padStart(18)}${target ? `   (target ${target}: ${judge(v, target).replace(/\*/g, '')})` : ''}\n`);
    }
    if (section.markdown) process.stdout.write(`\n${section.markdown}\n`);
  }
  if (!sections.length) return;
  const registered = BENCHES.map((b) => ({ id: sectionId(b.module), name: b.name, targets: b.targets ?? {} }));
  const results = join(ROOT, 'bench/RESULTS.md');
  const table = writeResults(results, { registered, sections, command: `npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}`, commit, loadBefore, loadAfter: loadavg(), date });
  process.stdout.write(`\n## One table (bench/RESULTS.md)\n\n${table.join('\n')}\n\nwritten: ${results}\n`);
}

await main();
