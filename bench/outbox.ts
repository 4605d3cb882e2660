// Benchmark of the durable outbox against Telegram's limits: two server processes (compiled, with the
// production Node options) share one Redis and one fake Bot API that enforces 30 messages in any
// second and one a second per chat, answering 429 above them. A burst of users writes at once (half
// to each process), then one more person writes "tolong". Measured, per repeat, medians reported:
// - the sustained send rate over a window after the first second, as a fraction of the 30/s limit;
// - 429 answers after the first second (the limit is shared through Redis, so there should be none);
// - how long the "tolong" waited for its answer while the burst was being served;
// - replies lost (a user never answered).
// The same burst goes, in turns, to two processes of the telegraf WizardScene + @telegraf/session bot
// of the webhook bench (bench/peer-telegraf.ts) behind the same kind of fake: it sends each reply
// inline from the webhook, so what the limit refuses is lost (the figures say how many; Telegram
// would deliver a webhook answered with an error again, which the driver does not do).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
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
  /** The message's text as sent (HTML-escaped, as Telegram receives it). */
  text: string;
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

/** A peer bot's process (the telegraf WizardScene + @telegraf/session bot of the webhook bench), ready when it says "listening". */
function servePeer(env: Record<string, string>): Promise<Proc> {
  const compiled = HERE.includes(join('dist', 'bench'));
  const args = compiled ? [join(HERE, 'peer-telegraf.js')] : ['--import', 'tsx', join(HERE, 'peer-telegraf.ts')];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('peer not ready after 30 s')), 30_000);
    child.once('exit', (code) => rej(new Error(`peer exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /listening (\d+)/.exec(line)?.[1];
      if (port) {
        clearTimeout(timer);
        res({ url: `http://127.0.0.1:${port}/webhooks/telegram`, child });
      }
    });
  });
}

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });

export type Who = 'waspada' | 'telegraf';

/**
 * One burst: two processes of `who` behind one strict fake, `burst` users write "/start" at once,
 * then one more writes "tolong". Waits until every user has had a reply, or until nothing has been
 * sent for 5 s (a bot that sends inline gives up at a 429: its replies do not come later).
 */
async function once(who: Who, redisUrl: string, burst: number, windowS: number, base: number) {
  const fake = await startFake();
  const prefix = `waspada-bench-outbox:${randomUUID().slice(0, 8)}`;
  const env = waspadaEnv(redisUrl, prefix, fake.apiRoot, { TELEGRAM_RATE_GLOBAL: String(LIMIT), TELEGRAM_RATE_PER_CHAT: '1' });
  const peerEnv = async () => ({ API_ROOT: fake.apiRoot, BOT_TOKEN: TOKEN, SECRET, REDIS_URL: redisUrl, PREFIX: `${prefix}:`, PORT: String(await freePort()) });
  const procs = who === 'waspada' ? await Promise.all([serve(env), serve(env)]) : await Promise.all([servePeer(await peerEnv()), servePeer(await peerEnv())]);
  try {
    const users = Array.from({ length: burst }, (_, i) => base + i);
    const pleading = base + burst + 1;
    // The burst's webhooks are posted at once; while its replies are being served, one more person
    // writes "tolong".
    const statuses = await Promise.all(users.map((u, i) => post(procs[i % 2]!.url, u, '/start')));
    const askedAt = Date.now();
    const pleaStatus = await post(procs[0]!.url, pleading, 'tolong');
    const ackedAt = Date.now();
    const ok = (chat: number) => fake.sends.some((c) => c.status === 200 && c.chat === String(chat));
    const lastSend = () => fake.sends.at(-1)?.at ?? askedAt;
    const until = Date.now() + 180_000;
    while (!(users.every(ok) && ok(pleading)) && Date.now() - Math.max(lastSend(), ackedAt) < 5000 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const all = fake.sends;
    const first = Math.min(...all.map((c) => c.at));
    const inWindow = all.filter((c) => c.status === 200 && c.at >= first + 1000 && c.at < first + 1000 + windowS * 1000).length;
    const plea = all.find((c) => c.status === 200 && c.chat === String(pleading));
    return {
      rate: inWindow / windowS,
      replied: users.filter(ok).length,
      rejected: all.filter((c) => c.status === 429).length,
      late429: all.filter((c) => c.status === 429 && c.at >= first + 1000).length,
      late429_at: all.filter((c) => c.status === 429 && c.at >= first + 1000).map((c) => c.at - first).join(' '),
      webhook_errors: statuses.filter((s) => s < 200 || s > 299).length,
      plea_ms: plea ? plea.at - askedAt : null,
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
  const runs: Record<Who, Awaited<ReturnType<typeof once>>[]> = { waspada: [], telegraf: [] };
  for (let i = 0; i < repeats; i++) {
    // Taking turns, the first changing each repeat.
    for (const who of (i % 2 ? ['telegraf', 'waspada'] : ['waspada', 'telegraf']) as Who[]) {
      runs[who].push(await once(who, redisUrl, burst, windowS, 900_000_000 + i * 100_000 + (who === 'telegraf' ? 50_000 : 0)));
      process.stderr.write(`  outbox: repeat ${i + 1}/${repeats} ${who}: ${runs[who].at(-1)!.replied}/${burst} replied\n`);
    }
  }
  const w = runs.waspada;
  const t = runs.telegraf;
  const rates = w.map((r) => +(r.rate / LIMIT).toFixed(3));
  const pleas = w.map((r) => r.plea_ms ?? Infinity);
  const tPleas = t.filter((r) => r.plea_ms !== null).map((r) => r.plea_ms!);
  return {
    processes: 2,
    limit_per_s: LIMIT,
    burst_users: burst,
    repeats,
    sustained_fraction_of_limit: median(rates),
    sustained_fraction_spread: spread(rates),
    sustained_msgs_per_s: +median(w.map((r) => r.rate)).toFixed(2),
    '429_after_first_second': Math.max(...w.map((r) => r.late429)),
    '429_at_ms': w.map((r) => r.late429_at).join(' / '),
    replies_lost: Math.max(...w.map((r) => burst - r.replied)),
    tolong_webhook_answered_ms: median(w.map((r) => r.plea_ack_ms)),
    tolong_reply_ms: median(pleas),
    tolong_reply_ms_spread: spread(pleas),
    telegraf_replies_lost: median(t.map((r) => burst - r.replied)),
    telegraf_replies_lost_spread: spread(t.map((r) => burst - r.replied)),
    telegraf_429: median(t.map((r) => r.rejected)),
    telegraf_webhook_errors: median(t.map((r) => r.webhook_errors)),
    telegraf_tolong_replied: `${tPleas.length} of ${repeats}`,
    ...(tPleas.length ? { telegraf_tolong_reply_ms: median(tPleas) } : {}),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchOutbox().then((f) => console.log(JSON.stringify(f, null, 2)));
}
