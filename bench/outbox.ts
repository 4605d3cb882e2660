// Benchmark of the durable outbox against Telegram's limits: two server processes (compiled, with the
// production Node options) share one Redis and one fake Bot API that enforces 30 messages in any
// second and one a second per chat, answering 429 above them. A burst of users writes at once (half
// to each process), then one more person writes "tolong". Measured, per repeat, medians reported:
// - the sustained send rate over a window after the first second, as a fraction of the 30/s limit;
// - 429 answers after the first second (the limit is shared through Redis, so there should be none);
// - how long the "tolong" waited for its answer while the burst was being served.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { dropPrefix } from '../test/helpers/redis.js';
import { DOCKER_NODE_OPTIONS, SECRET, TOKEN, waspadaEnv } from './waspada-env.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, HERE.includes(join('dist', 'bench')) ? '../..' : '..');
export const LIMIT = 30;

interface Proc {
  url: string;
  child: ChildProcess;
}

function serve(env: Record<string, string>): Promise<Proc> {
  const compiled = HERE.includes(join('dist', 'bench'));
  const args = compiled ? [...DOCKER_NODE_OPTIONS, join(ROOT, 'dist/src/cli.js'), 'serve'] : ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'serve'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server not ready after 30 s')), 30_000);
    child.once('exit', (code) => rej(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /"port":(\d+)/.exec(line)?.[1];
      if (port) {
        clearTimeout(timer);
        res({ url: `http://127.0.0.1:${port}/webhooks/telegram`, child });
      }
    });
  });
}

export interface Send {
  chat: string;
  status: number;
  at: number;
}

/**
 * The fake Bot API in its own process (bench/fake-process.ts); its answers are collected here, and
 * with `stalls` its own event loop's stalls over 10 ms.
 */
export async function startFake(opts: { stalls?: boolean } = {}): Promise<{ apiRoot: string; sends: Send[]; stalls: { at: number; ms: number }[]; child: ChildProcess }> {
  const compiled = HERE.includes(join('dist', 'bench'));
  const script = join(HERE, `fake-process.${compiled ? 'js' : 'ts'}`);
  const child = spawn(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), script], {
    env: { ...process.env, FAKE_TOKEN: TOKEN, FAKE_GLOBAL: String(LIMIT), FAKE_PER_CHAT: '1', FAKE_STRICT: '1', FAKE_STALLS: opts.stalls ? '1' : '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sends: Send[] = [];
  const stalls: { at: number; ms: number }[] = [];
  const apiRoot = await new Promise<string>((res) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as Send & { apiRoot?: string; stall?: number };
      if (m.apiRoot) res(m.apiRoot);
      else if (m.stall !== undefined) stalls.push({ at: m.at, ms: m.stall });
      else sends.push(m);
    });
  });
  return { apiRoot, sends, stalls, child };
}

const stop = (p: { child: ChildProcess }) =>
  new Promise<void>((r) => {
    if (p.child.exitCode !== null) return r();
    p.child.once('exit', () => r());
    p.child.kill('SIGTERM');
  });

let updateId = 1;
function post(url: string, chat: number, text: string): Promise<number> {
  const update = {
    update_id: updateId++,
    message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'B', language_code: 'id' }, text },
  };
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) }).then(
    (r) => r.status,
    () => 0,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.min(...xs)}..${Math.max(...xs)}`;

async function waitFor(pred: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function once(redisUrl: string, burst: number, windowS: number, base: number) {
  const fake = await startFake();
  const prefix = `waspada-bench-outbox:${randomUUID().slice(0, 8)}`;
  const env = waspadaEnv(redisUrl, prefix, fake.apiRoot, { TELEGRAM_RATE_GLOBAL: String(LIMIT), TELEGRAM_RATE_PER_CHAT: '1' });
  const procs = await Promise.all([serve(env), serve(env)]);
  try {
    const users = Array.from({ length: burst }, (_, i) => base + i);
    const pleading = base + burst + 1;
    // The burst is accepted (every webhook answered); while its replies are being served, one more
    // person writes "tolong".
    await Promise.all(users.map((u, i) => post(procs[i % 2]!.url, u, '/start')));
    const askedAt = Date.now();
    const pleaStatus = await post(procs[0]!.url, pleading, 'tolong');
    const ackedAt = Date.now();
    const replied = () => fake.sends.find((c) => c.status === 200 && c.chat === String(pleading));
    await waitFor(() => replied() !== undefined, 60_000);
    const answered = replied()!.at;
    const first = Math.min(...fake.sends.map((c) => c.at));
    await new Promise((r) => setTimeout(r, Math.max(0, first + (windowS + 1) * 1000 + 100 - Date.now())));
    const all = fake.sends;
    const inWindow = all.filter((c) => c.status === 200 && c.at >= first + 1000 && c.at < first + 1000 + windowS * 1000).length;
    return {
      rate: inWindow / windowS,
      late429: all.filter((c) => c.status === 429 && c.at >= first + 1000).length,
      late429_at: all.filter((c) => c.status === 429 && c.at >= first + 1000).map((c) => c.at - first).join(' '),
      plea_ms: answered - askedAt,
      plea_ack_ms: ackedAt - askedAt,
      plea_status: pleaStatus,
    };
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(procs.map(stop));
    fake.child.kill('SIGTERM');
    const redis = new Redis(redisUrl);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
}

export async function benchOutbox(): Promise<Record<string, number | string>> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const burst = Number(process.env.BENCH_BURST ?? 2000);
  const windowS = 20;
  {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await once(redisUrl, burst, windowS, 900_000_000 + i * 100_000));
    const rates = runs.map((r) => +(r.rate / LIMIT).toFixed(3));
    const pleas = runs.map((r) => r.plea_ms);
    return {
      processes: 2,
      limit_per_s: LIMIT,
      burst_users: burst,
      repeats,
      sustained_fraction_of_limit: median(rates),
      sustained_fraction_spread: spread(rates),
      sustained_msgs_per_s: +median(runs.map((r) => r.rate)).toFixed(2),
      '429_after_first_second': Math.max(...runs.map((r) => r.late429)),
      '429_at_ms': runs.map((r) => r.late429_at).join(' / '),
      tolong_webhook_answered_ms: median(runs.map((r) => r.plea_ack_ms)),
      tolong_reply_ms: median(pleas),
      tolong_reply_ms_spread: spread(pleas),
    };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchOutbox().then((f) => console.log(JSON.stringify(f, null, 2)));
}
