// Benchmark of the Telegram webhook path, against a conventional telegraf bot doing the same 5 steps
// (bench/telegraf-wizard.ts: WizardScene + session() on Redis + Express webhookCallback), and against
// Waspada at another revision (BENCH_BEFORE=<git ref>), in the same run, each server in its own process
// with the same Node options, replies going to the local fake Bot API. CPU and RSS are read from /proc
// for the server process only.
import { execFileSync, execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js';
import { dropPrefix } from '../test/helpers/redis.js';
import { SECRET, TOKEN, waspadaEnv as benchEnv } from './waspada-env.js';
import { driveWebhook, type CpuSample, type DriveFigures } from './webhook-harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// Compiled: dist/bench → the repository is two levels up; from source: one.
const ROOT = resolve(HERE, HERE.includes(`${join('dist', 'bench')}`) ? '../..' : '..');
export const NODE_FLAGS = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : ['--max-old-space-size=128', '--max-semi-space-size=2'];
/** /start → privacy; agree → menu; settings; change language; English: one message per step, as the wizard. */
const STEPS = ['/start', '1', '8', '1', '2'];

const TICK_US = 10_000; // Linux USER_HZ is 100

function procCpu(pid: number): CpuSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US, rss: rssKb * 1024 };
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function spawnServer(args: string[], env: Record<string, string>, ready: (line: string) => string | null): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${args.join(' ')} not ready after 30 s`)), 30_000);
    child.once('exit', (code) => rej(new Error(`${args.join(' ')} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const u = ready(line);
      if (u) {
        clearTimeout(timer);
        res(u);
      }
    });
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function run(server: Server, fake: FakeTelegram, users: number, expected: number, base: number): Promise<DriveFigures> {
  const common = { url: server.url, secret: SECRET, steps: STEPS, concurrency: 100, fake, cpu: async () => procCpu(server.pid), expectedRepliesPerUser: expected };
  await driveWebhook({ ...common, users: 50, userIdBase: base, updateIdBase: base });
  return driveWebhook({ ...common, users, userIdBase: base + 1000, updateIdBase: base + 1_000_000 });
}

async function dropKeys(redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl);
  await dropPrefix(redis, prefix);
  redis.disconnect();
}

/**
 * The same code at another git revision, compiled next to this one (a snapshot of its files, this
 * checkout's node_modules): so that "before" and "after" a change are measured in the same run.
 */
function buildRevision(ref: string): string {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `waspada-bench-${sha.slice(0, 12)}`);
  if (!existsSync(join(dir, 'dist/src/cli.js'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execSync(`git archive ${sha} | tar -x -C ${JSON.stringify(dir)}`, { cwd: ROOT });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.build.json')], { cwd: dir });
    execFileSync(process.execPath, [join(dir, 'scripts/copy-assets.mjs')], { cwd: dir });
  }
  return dir;
}

interface Contender {
  name: string;
  start(prefix: string): Promise<Server>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.min(...xs)}..${Math.max(...xs)}`;

/**
 * Waspada (and, with BENCH_BEFORE=<git ref>, Waspada at that revision) against the telegraf wizard:
 * each in its own process with the same Node options, the same fake Bot API and Redis, in an order
 * rotated every repeat; medians (and their spread) of BENCH_REPEATS repeats, ratios taken per repeat.
 */
export async function benchWebhook(opts: { users?: number } = {}): Promise<Record<string, number | string>> {
  const users = opts.users ?? Number(process.env.BENCH_USERS ?? 1000);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const fake = await startFakeTelegram({ token: TOKEN });
  const ext = HERE.includes(join('dist', 'bench')) ? 'js' : 'ts';
  const loader = ext === 'ts' ? ['--import', 'tsx'] : [];
  // The fake has no rate limit; Telegram's own limits would make this a benchmark of waiting.
  const waspadaEnv = (prefix: string) => benchEnv(redisUrl, prefix, fake.apiRoot, { TELEGRAM_RATE_PER_CHAT: '1000', TELEGRAM_RATE_GLOBAL: '1000000' });
  const waspadaReady = (line: string) => {
    const port = /"port":(\d+)/.exec(line)?.[1];
    return port ? `http://127.0.0.1:${port}/webhooks/telegram` : null;
  };
  const waspada = (name: string, cli: string[]): Contender => ({ name, start: (prefix) => spawnServer(cli, waspadaEnv(prefix), waspadaReady) });
  const contenders: Contender[] = [waspada('waspada', [...loader, join(ROOT, ext === 'js' ? 'dist/src/cli.js' : 'src/cli.ts'), 'serve'])];
  const before = process.env.BENCH_BEFORE;
  if (before) contenders.push(waspada('before', [join(buildRevision(before), 'dist/src/cli.js'), 'serve']));
  contenders.push({
    name: 'wizard',
    start: (prefix) =>
      spawnServer([...loader, join(HERE, `telegraf-wizard.${ext}`)], { WIZ_API_ROOT: fake.apiRoot, WIZ_TOKEN: TOKEN, WIZ_SECRET: SECRET, REDIS_URL: redisUrl, PORT: '0', WIZ_PREFIX: prefix }, (line) => {
        try {
          const msg = JSON.parse(line) as { ready?: boolean; url?: string };
          return msg.ready ? msg.url! : null;
        } catch {
          return null;
        }
      }),
  });
  const results = new Map<string, DriveFigures[]>(contenders.map((c) => [c.name, []]));
  const prefixes: string[] = [];
  let base = 100_000_000;
  try {
    for (let r = 0; r < repeats; r++) {
      const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]!);
      for (const c of order) {
        const prefix = `waspada-bench-webhook-${c.name}:${randomUUID().slice(0, 8)}`;
        prefixes.push(prefix);
        const server = await c.start(prefix);
        results.get(c.name)!.push(await run(server, fake, users, 5, (base += 10_000_000)));
        await server.stop();
        fake.reset();
      }
    }
  } finally {
    await fake.close();
    for (const p of prefixes) await dropKeys(redisUrl, p);
  }
  const out: Record<string, number | string> = { users, repeats, order: 'rotated' };
  for (const [name, runs] of results) {
    const cpu = runs.map((f) => f.cpu_ms_per_update);
    out[`${name}_cpu_ms_per_update`] = median(cpu);
    out[`${name}_cpu_spread`] = spread(cpu);
    out[`${name}_updates_per_s`] = median(runs.map((f) => f.updates_per_s));
    out[`${name}_p99_ms`] = median(runs.map((f) => f.p99_ms));
    out[`${name}_peak_rss_mb`] = median(runs.map((f) => f.peak_rss_mb));
    out[`${name}_failed_users`] = Math.max(...runs.map((f) => f.failed));
  }
  const ratio = (a: string, b: string) => {
    const xs = results.get(a)!.map((f, i) => f.cpu_ms_per_update / results.get(b)![i]!.cpu_ms_per_update);
    return `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}..${Math.max(...xs).toFixed(3)})`;
  };
  out.cpu_ratio_vs_wizard = +ratio('waspada', 'wizard').split(' ')[0]!;
  out.cpu_ratio_vs_wizard_spread = ratio('waspada', 'wizard');
  if (before) {
    out.before_ref = before;
    out.cpu_ratio_vs_before = +ratio('waspada', 'before').split(' ')[0]!;
    out.cpu_ratio_vs_before_spread = ratio('waspada', 'before');
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchWebhook().then((f) => console.log(JSON.stringify(f, null, 2)));
}
