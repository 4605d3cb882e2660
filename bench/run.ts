// npm run bench: builds, then runs each benchmark in its own process with the production Node
// options (see Dockerfile), so figures are those of the compiled code that deployments run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PRODUCTION_NODE_OPTIONS = ['--max-old-space-size=128', '--max-semi-space-size=2'];

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
    name: 'durable outbox: 2 server processes, one fake Bot API enforcing 30 msg/s (any second) and 1/s per chat, a burst of 2,000 users and one "tolong"',
    module: 'bench/outbox.js',
    fn: 'benchOutbox',
    targets: { sustained_fraction_of_limit: '>= 0.97', '429_after_first_second': '= 0', tolong_reply_ms: '<= 2000' },
  },
  { name: 'job-offer checker', module: 'bench/checker.js', fn: 'benchChecker', targets: { mean_ms_per_check: '<= 2', load_ms: '<= 150' } },
];

function main() {
  process.stdout.write('building (tsc)…\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.bench.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(ROOT, 'scripts/copy-assets.mjs')], { stdio: 'inherit' });
  const only = process.argv.slice(2);
  for (const b of BENCHES) {
    if (only.length && !only.some((o) => b.module.includes(o))) continue;
    const file = join(ROOT, 'dist', b.module);
    if (!existsSync(file)) continue;
    const code = `import(${JSON.stringify(file)}).then(async (m) => { const f = await m.${b.fn}(); process.stdout.write('\\n' + JSON.stringify(f)); })`;
    const r = spawnSync(process.execPath, [...(b.node ?? PRODUCTION_NODE_OPTIONS), '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(`\n## ${b.name}\n`);
    if (r.status !== 0) {
      process.stdout.write(`failed (exit ${r.status ?? r.signal})\n`);
      process.exitCode = 1;
      continue;
    }
    const { markdown, ...figures } = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
    for (const [k, v] of Object.entries(figures)) {
      const target = b.targets?.[k];
      process.stdout.write(`  ${k.padEnd(24)} ${String(v).padStart(10)}${target ? `   (target ${target})` : ''}\n`);
    }
    if (markdown) process.stdout.write(`\n${markdown}\n`);
  }
}

main();
