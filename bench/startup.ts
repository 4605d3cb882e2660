// Start-up: from spawning the compiled server (`node dist/src/cli.js serve`, as the Dockerfile runs it)
// to its first 200 on /healthz, in fresh processes, with the Dockerfile's NODE_OPTIONS and without,
// taking turns. Each process gets the machine's Redis under a key prefix of its own (dropped after),
// the content the build compiled (dist/content.json, compiled again first, as `npm run build` does:
// `npm run bench` compiles with tsc only), and a closed port as its Bot API (nothing is sent at start).
// /healthz is asked every 5 ms on a new connection; the CPU time the process had used by its first 200
// is read from /proc (in 10 ms ticks), which a loaded machine disturbs less than the wall clock.
// For comparison, a few starts with one flow changed since the build (everything read and checked in full),
// and, in the same turns, the webhook bench's telegraf WizardScene + @telegraf/session bot (compiled,
// Node's default options) to its first HTTP answer of any kind (it has no health check; Waspada's 200
// needs a Redis PING too).
//
// Run directly: `npx tsx bench/startup.ts` (after `npm run build`); from the bench runner: benchStartup().
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { dropPrefix } from '../test/helpers/redis.js';
import { DOCKER_NODE_OPTIONS, waspadaEnv } from './waspada-env.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, HERE.includes(join('dist', 'bench')) ? '../..' : '..');
const CLI = join(ROOT, 'dist/src/cli.js');
/** The Docker image's NODE_OPTIONS, read from the Dockerfile. */
const PRODUCTION = DOCKER_NODE_OPTIONS.join(' ');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** Fresh processes per way of starting. */
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
const POLL_MS = 5;

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });

const healthz = (port: number) =>
  new Promise<number>((res) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', () => res(0));
    req.end();
  });

/** User + system CPU time of a live process, ms (from /proc, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Start {
  ms: number;
  cpuMs: number;
  /** What the process logged: whether it started from the compiled content. */
  log: string;
}

/** The telegraf WizardScene + @telegraf/session bot of the webhook bench: ready when it answers HTTP at all. */
const PEER = join(ROOT, 'dist/bench/peer-telegraf.js');

async function startOnce(prefix: string, nodeOptions: string, args: string[] = [], peer = false): Promise<Start> {
  const port = await freePort();
  const env = peer
    ? { ...process.env, API_ROOT: 'http://127.0.0.1:9', REDIS_URL, PREFIX: `${prefix}:peer:`, PORT: String(port), NODE_OPTIONS: nodeOptions }
    : { ...process.env, ...waspadaEnv(REDIS_URL, prefix, 'http://127.0.0.1:9', { PORT: String(port) }), NODE_OPTIONS: nodeOptions };
  const ready = peer ? (code: number) => code > 0 : (code: number) => code === 200;
  const t0 = performance.now();
  const child = spawn(process.execPath, peer ? [PEER] : [CLI, 'serve', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (log += c));
  let exited: number | null | undefined;
  const gone = new Promise<void>((r) => child.once('exit', (code) => ((exited = code), r())));
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`the server exited (${exited}) before answering /healthz:\n${log}`);
      if (ready(await healthz(port))) break;
      if (performance.now() - t0 > 30_000) throw new Error(`no 200 on /healthz within 30 s:\n${log}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return { ms: performance.now() - t0, cpuMs: cpuMs(child.pid!), log };
  } finally {
    child.kill('SIGTERM');
    await gone;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;

export async function benchStartup(): Promise<Record<string, number | string>> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  if (!PRODUCTION) throw new Error('no NODE_OPTIONS="…" found in the Dockerfile');
  // The build's content step (scripts/build.mjs): the bench runner compiles the code only.
  const compiled = spawn(process.execPath, [CLI, 'flows:check', '--write', join(ROOT, 'dist/content.json')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if ((await new Promise((r) => compiled.once('exit', r))) !== 0) throw new Error('flows:check --write failed');

  const prefix = `waspada-bench-startup:${randomUUID().slice(0, 8)}`;
  const ways = { production_options: PRODUCTION, default_options: '' };
  type Way = keyof typeof ways | 'telegraf';
  const runs: Record<Way, Start[]> = { production_options: [], default_options: [], telegraf: [] };
  const changed: Start[] = [];
  const root = mkdtempSync(join(tmpdir(), 'waspada-startup-'));
  try {
    for (let i = 0; i < RUNS; i++) {
      // Taking turns, the first way changing each round: a slow spell of the machine falls on both.
      const all: Way[] = ['production_options', 'default_options', 'telegraf'];
      for (let j = 0; j < all.length; j++) {
        const way = all[(i + j) % all.length]!;
        runs[way].push(way === 'telegraf' ? await startOnce(prefix, '', [], true) : await startOnce(prefix, ways[way]));
      }
    }
    // One flow changed since the build: the compiled content is not used, everything is checked in full.
    for (const dir of ['flows', 'locales', 'data']) cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
    appendFileSync(join(root, 'flows/main.yaml'), '\n# changed after the build\n');
    for (let i = 0; i < Math.min(RUNS, 5); i++) changed.push(await startOnce(prefix, PRODUCTION, ['--root', root]));
  } finally {
    rmSync(root, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
  for (const s of [...runs.production_options, ...runs.default_options]) {
    if (s.log.includes('content read and checked in full')) throw new Error(`a start did not use the compiled content:\n${s.log}`);
  }
  if (!changed.every((s) => s.log.includes('content read and checked in full'))) throw new Error('a start with a changed flow used the compiled content');

  const figures: Record<string, number | string> = { runs: RUNS, production_options: PRODUCTION };
  for (const way of Object.keys(runs) as Way[]) {
    figures[`start_ms_${way}`] = Math.round(median(runs[way].map((s) => s.ms)));
    figures[`start_ms_${way}_spread`] = spread(runs[way].map((s) => s.ms));
    figures[`cpu_ms_${way}`] = median(runs[way].map((s) => s.cpuMs));
    figures[`cpu_ms_${way}_spread`] = spread(runs[way].map((s) => s.cpuMs));
  }
  figures.start_ms_flow_changed_production_options = Math.round(median(changed.map((s) => s.ms)));
  figures.start_ms_flow_changed_production_options_spread = spread(changed.map((s) => s.ms));
  figures.cpu_ms_flow_changed_production_options = median(changed.map((s) => s.cpuMs));
  figures.cpu_ms_flow_changed_production_options_spread = spread(changed.map((s) => s.cpuMs));
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchStartup().then((r) => {
    for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(48)} ${v}`);
  });
}
