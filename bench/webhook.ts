// Side-by-side benchmark of the Telegram webhook path: Waspada as deployed (compiled, `node
// dist/src/cli.js serve` with the Dockerfile's NODE_OPTIONS), the same without those heap flags (what
// the flags cost), Waspada at another git revision (BENCH_BEFORE=<ref>, deployed flags), and peer bots
// built the obvious way: a telegraf WizardScene + @telegraf/session Redis bot (peer-telegraf.ts), a
// grammY + @grammyjs/storage-redis bot (peer-grammy.ts) and a bare node:http floor (peer-floor.ts).
// It follows the project's independent harness (pair.mjs): one fake Bot API without rate limits,
// the same typed conversation (`/start | lapor | Siti Aminah | Kamboja | dua minggu lalu`; Waspada's
// users, onboarded first, walk its own report in as many typed steps: see WASPADA_SCRIPT), users ×
// rounds × 5 steps with `concurrency` users in flight, each step sent after the previous step's first
// reply reached the fake, order rotated each repeat, CPU of the process tree read from /proc only
// after the replies stopped, ratios taken per repeat, medians with min–max.
// On top of it: every bot has a private redis-server (commands per update from INFO commandstats,
// Redis's own CPU), and a preload (redis-trips.cts) counts every bot's round trips to Redis.
//
// Env: BENCH_USERS (400), BENCH_ROUNDS (2), BENCH_REPEATS (3), BENCH_CONCURRENCY (64),
// BENCH_BOTS (comma list, default all), BENCH_BEFORE (git ref).
import { execFileSync, execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { DOCKER_NODE_OPTIONS, SECRET, TOKEN, waspadaEnv } from './waspada-env.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const COMPILED = HERE.includes(join('dist', 'bench'));
export const ROOT = resolve(HERE, COMPILED ? '../..' : '..');
/** The Dockerfile's NODE_OPTIONS. */
export const SCRIPT = ['/start', 'lapor', 'Siti Aminah', 'Kamboja', 'dua minggu lalu'];
/**
 * Waspada's own report walk, typed: the harness's script is not its conversation. A new person first
 * gets the privacy notice (the peers have none): "lapor" there is kept, then "Siti Aminah" and
 * "Kamboja" are no answer to it; after agreeing, its report asks the age and the relation before the
 * country. So its users are onboarded first (ONBOARD, outside the CPU window) and then type the same
 * number of steps, each one an answer it understands: /start → menu, "lapor" → the report's intro and
 * the name question, the name → the age, "30" (as the question asks: "angka saja") → the relation, "adik" → the country.
 * (Revisions before numberAmongWords refused "30 tahun": a plain number keeps BENCH_BEFORE comparing like with like.)
 */
export const WASPADA_SCRIPT = ['/start', 'lapor', 'Siti Aminah', '30', 'adik'];
/**
 * What a Waspada user sends once before the runs: /start, then "1" twice. Where the language is asked
 * (WhatsApp gives no hint) that is Indonesian, then agreeing; on Telegram the hint skips the question,
 * so the first agrees and the second opens the offer check, which the script's own /start leaves.
 */
export const ONBOARD = ['/start', '1', '1'];
const WEBHOOK_PATH = '/webhooks/telegram';
export const WARMUP_USERS = 30;
const STEP_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- the fake Bot API (no limits)

export interface Fake {
  apiRoot: string;
  sent: number;
  bytes: number;
  last: number;
  /** called with the chat id of every sendMessage */
  hooks: Map<string, () => void>;
  /** chats whose texts are kept (a sample conversation for the notes) */
  keep: Map<string, string[]>;
  record(chat: string, text: string, bytes: number): void;
  close(): Promise<void>;
}

/** What a fake platform API records of the replies it is sent; `apiRoot` is set once it listens. */
export function newFake(close: () => Promise<void>): Fake {
  const fake: Fake = {
    apiRoot: '',
    sent: 0,
    bytes: 0,
    last: 0,
    hooks: new Map(),
    keep: new Map(),
    record(chat, text, bytes) {
      fake.sent++;
      fake.bytes += bytes;
      fake.last = performance.now();
      fake.keep.get(chat)?.push(text);
      fake.hooks.get(chat)?.();
    },
    close,
  };
  return fake;
}

/** The fake of pair.mjs: answers every method with ok, counts sendMessage, calls the chat's hook. */
export async function startFake(): Promise<Fake> {
  let server: Server;
  const fake = newFake(() => new Promise<void>((r) => server.close(() => r())));
  let messageId = 1;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const method = (req.url ?? '').split('?')[0]!.split('/').pop();
      let params: Record<string, unknown> = {};
      try {
        params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        /* not JSON */
      }
      const send = (obj: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (method === 'getMe') return send({ ok: true, result: { id: 1, is_bot: true, first_name: 'bench', username: 'bench_bot' } });
      if (method === 'sendMessage') {
        const chat = String(params.chat_id ?? '');
        fake.record(chat, String(params.text ?? ''), body.length);
        return send({ ok: true, result: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat) || 0, type: 'private' }, text: params.text ?? '' } });
      }
      return send({ ok: true, result: true });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  fake.apiRoot = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return fake;
}

// ---------------------------------------------------------------- /proc

const TICK_MS = 10; // USER_HZ = 100
function children(): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      if (!m.has(ppid)) m.set(ppid, []);
      m.get(ppid)!.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return m;
}
function tree(root: number): number[] {
  const k = children();
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(k.get(out[i]!) ?? []));
  return out;
}
function cpuMsOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(x[11]) + Number(x[12])) * TICK_MS;
  } catch {
    return 0;
  }
}
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
const treeCpuMs = (pid: number) => tree(pid).reduce((s, p) => s + cpuMsOf(p), 0);
const treeMb = (pid: number, field: 'VmRSS' | 'VmHWM') => tree(pid).reduce((s, p) => s + statusMb(p, field), 0);
/** Resets the kernel's peak-RSS mark (VmHWM) of the tree, so VmHWM is the peak of the run to come. */
function resetPeak(pid: number): boolean {
  let ok = true;
  for (const p of tree(pid)) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}

export const freePort = () =>
  new Promise<number>((r) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      s.close(() => r(p));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- Redis, one private server per bot

export interface PrivateRedis {
  port: number;
  url: string;
  admin: Redis;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--logfile', ''], { stdio: 'ignore' });
  const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => {}); // refused while the server starts: retried below
  for (let i = 0; ; i++) {
    try {
      await admin.connect();
      await admin.ping();
      break;
    } catch (e) {
      if (i > 100 || child.exitCode !== null) throw new Error(`redis-server on port ${port} did not start: ${String(e)}`);
      admin.disconnect();
      await sleep(50);
    }
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    admin,
    child,
    stop: async () => {
      admin.disconnect();
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL'); // no persistence: nothing to save
        await gone;
      }
    },
  };
}

function infoNumber(info: string, name: string): number {
  const m = new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info);
  return m ? Number(m[1]) : 0;
}
function commandStats(info: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

// ---------------------------------------------------------------- bots

export interface BotDef {
  name: string;
  /** node arguments after NODE_OPTIONS: the entry and its arguments */
  args: string[];
  cwd: string;
  nodeOptions: string[];
  env(o: { port: number; redisUrl: string; apiRoot: string }): Record<string, string>;
  /** The typed conversation this bot is driven through (SCRIPT unless given). */
  script?: string[];
  /** Sent once by every user before the measured runs, outside the CPU window (a returning user). */
  onboard?: string[];
}

export interface Bot {
  def: BotDef;
  port: number;
  url: string;
  redis: PrivateRedis;
  child: ChildProcess;
  tripsDir: string;
  sample: string[];
  runs: Run[];
  /** what the bot does with nothing to do, per second */
  idle?: { cpuMs: number; cmds: number; trips: number };
}

export interface Run {
  repeat: number;
  updates: number;
  cpu: number;
  perSec: number;
  p50: number;
  p99: number;
  ackP50: number;
  ackP99: number;
  rss: number;
  cmds: number;
  trips: number;
  serverReads: number;
  /** the same counts with one user at a time (no batching of several users' commands) */
  seqCmds: number;
  seqTrips: number;
  redisCpu: number;
  replies: number;
  bytesPerReply: number;
  errors: number;
  timeouts: number;
  commands: Map<string, number>;
  /** This (driver) process's CPU ms spent onboarding the run's users, before every figure: a caller timing its own CPU around measure() takes it out. */
  onboardDriverMs: number;
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

/** Waspada compiled in `dir`, served as deployed on Telegram's webhook. */
export const waspada = (name: string, dir: string, nodeOptions: string[]): BotDef => ({
  name,
  args: [join(dir, 'dist/src/cli.js'), 'serve'],
  cwd: dir,
  nodeOptions,
  script: WASPADA_SCRIPT,
  onboard: ONBOARD,
  // Deployment settings, with Telegram's own rate limits lifted (else this measures waiting).
  env: ({ port, redisUrl, apiRoot }) =>
    waspadaEnv(redisUrl, 'waspada', apiRoot, { PORT: String(port), TELEGRAM_MODE: 'webhook', TELEGRAM_RATE_PER_CHAT: '1000000', TELEGRAM_RATE_GLOBAL: '1000000000' }),
});

function definitions(): BotDef[] {
  const peer = (name: string, file: string, prefix: string): BotDef => ({
    name,
    args: [join(HERE, file)],
    cwd: ROOT,
    nodeOptions: [],
    env: ({ port, redisUrl, apiRoot }) => ({ API_ROOT: apiRoot, PORT: String(port), SECRET, PREFIX: prefix, REDIS_URL: redisUrl, BOT_TOKEN: TOKEN }),
  });
  const defs = [waspada('waspada', ROOT, DOCKER_NODE_OPTIONS), waspada('waspada-noflags', ROOT, [])];
  const before = process.env.BENCH_BEFORE;
  if (before) defs.push(waspada('before', buildRevision(before), DOCKER_NODE_OPTIONS));
  defs.push(peer('telegraf', 'peer-telegraf.js', 'tg:'), peer('grammy', 'peer-grammy.js', 'gy:'), peer('floor', 'peer-floor.js', 'fl:'));
  const only = process.env.BENCH_BOTS?.split(',').filter(Boolean);
  return only ? defs.filter((d) => only.includes(d.name)) : defs;
}

export async function startBot(def: BotDef, apiRoot: string, fake: Fake, opts: DriveOpts): Promise<Bot> {
  const redis = await startRedis();
  const port = await freePort();
  const tripsDir = mkdtempSync(join(tmpdir(), `waspada-bench-trips-${def.name}-`));
  const preload = join(HERE, 'redis-trips.cjs');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    NODE_OPTIONS: [...def.nodeOptions, '--require', preload].join(' '),
    BENCH_TRIPS_PORT: String(redis.port),
    BENCH_TRIPS_DIR: tripsDir,
    ...def.env({ port, redisUrl: redis.url, apiRoot }),
  };
  const child = spawn(process.execPath, def.args, { cwd: def.cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}${(opts.wire ?? TELEGRAM_WIRE).path}`;
  const bot: Bot = { def, port, url, redis, child, tripsDir, sample: [], runs: [] };
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(url, { method: 'POST', body: '{}' }).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (child.exitCode !== null || i > 600) throw new Error(`${def.name} did not start (exit ${child.exitCode})`);
      await sleep(50);
    }
    // Warm-up (JIT, connections, scripts loaded), keeping one conversation for the notes.
    const sampleChat = String(opts.chatBase);
    const script = def.script ?? SCRIPT;
    if (def.onboard) await drive(bot.url, fake, opts.chatBase, WARMUP_USERS, { ...opts, rounds: 1, script: def.onboard });
    fake.keep.set(sampleChat, []);
    await drive(bot.url, fake, opts.chatBase, WARMUP_USERS, { ...opts, script });
    bot.sample = fake.keep.get(sampleChat)!.slice(0, script.length);
    fake.keep.delete(sampleChat);
    return bot;
  } catch (e) {
    await stopBot(bot);
    throw e;
  }
}

export async function stopBot(bot: Bot): Promise<void> {
  const pids = tree(bot.child.pid!).reverse();
  const exited = bot.child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => bot.child.once('exit', () => r()));
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  await Promise.race([exited, sleep(5000)]);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await bot.redis.stop();
  rmSync(bot.tripsDir, { recursive: true, force: true });
}

/** Every process of the bot writes "<seq> <flushes>" on SIGUSR2: ask them all, wait for the answers. */
async function readTrips(bot: Bot): Promise<Map<number, number>> {
  const read = () => {
    const m = new Map<number, [number, number]>();
    for (const f of readdirSync(bot.tripsDir)) {
      const [seq, n] = readFileSync(join(bot.tripsDir, f), 'utf8').trim().split(' ').map(Number);
      if (Number.isFinite(seq) && Number.isFinite(n)) m.set(Number(f), [seq!, n!]);
    }
    return m;
  };
  const before = read();
  const alive = new Set(tree(bot.child.pid!));
  const asked = [...before.keys()].filter((p) => alive.has(p));
  for (const p of asked) process.kill(p, 'SIGUSR2');
  const until = performance.now() + 5000;
  let now = read();
  while (asked.some((p) => (now.get(p)?.[0] ?? -1) <= before.get(p)![0]) && performance.now() < until) {
    await sleep(5);
    now = read();
  }
  return new Map([...now].map(([p, [, n]]) => [p, n]));
}

// ---------------------------------------------------------------- the driver (pair.mjs's drive)

export interface DriveOpts {
  rounds: number;
  concurrency: number;
  chatBase: number;
  /** How a typed message is posted; Telegram's webhook unless given. */
  wire?: Wire;
  /** What each user types, in order, each round (SCRIPT unless given). */
  script?: string[];
}

/** How a platform posts one typed message of a person to a bot's webhook: the path, the body, its headers. */
export interface Wire {
  path: string;
  post(chat: number, text: string): { body: string; headers: Record<string, string> };
}

let updateId = 1;
/** Telegram's update for a typed message, with the webhook's secret token. */
export const TELEGRAM_WIRE: Wire = {
  path: WEBHOOK_PATH,
  post: (chat, text) => ({
    body: JSON.stringify({
      update_id: updateId++,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat, type: 'private', first_name: 'U' },
        from: { id: chat, is_bot: false, first_name: 'U', language_code: 'id' },
        text,
        ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {}),
      },
    }),
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
  }),
};
interface Driven {
  t0: number;
  tAck: number;
  ack: number[];
  rep: number[];
  errors: number;
  timeouts: number;
}

async function drive(url: string, fake: Fake, startChat: number, users: number, opts: DriveOpts): Promise<Driven> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const target = new URL(url);
  let errors = 0;
  let timeouts = 0;
  const ack: number[] = [];
  const rep: number[] = [];
  const wire = opts.wire ?? TELEGRAM_WIRE;
  const post = ({ body: data, headers }: { body: string; headers: Record<string, string> }) =>
    new Promise<void>((done) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers },
        },
        (res) => {
          let answer = '';
          res.on('data', (c: Buffer) => (answer += c));
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 300) errors++;
            // A bot may answer with a method call in the webhook response (Telegram performs it).
            else if (answer && String(res.headers['content-type']).includes('json')) {
              try {
                const m = JSON.parse(answer) as { method?: string; chat_id?: unknown; text?: unknown };
                if (m.method === 'sendMessage') fake.record(String(m.chat_id), String(m.text ?? ''), answer.length);
              } catch {
                /* not a method call */
              }
            }
            done();
          });
        },
      );
      req.on('error', () => {
        errors++;
        done();
      });
      req.end(data);
    });
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const u = next++;
      if (u >= users) return;
      const chat = startChat + u;
      let waiter: (() => void) | null = null;
      fake.hooks.set(String(chat), () => {
        if (waiter) {
          const w = waiter;
          waiter = null;
          w();
        }
      });
      for (let r = 0; r < opts.rounds; r++)
        for (const text of opts.script ?? SCRIPT) {
          const s = performance.now();
          const replied = new Promise<void>((res) => {
            waiter = () => {
              rep.push(performance.now() - s);
              res();
            };
          });
          await post(wire.post(chat, text));
          ack.push(performance.now() - s);
          let to: NodeJS.Timeout | undefined;
          await Promise.race([
            replied,
            new Promise<void>(
              (r2) =>
                (to = setTimeout(() => {
                  timeouts++;
                  waiter = null;
                  r2();
                }, STEP_TIMEOUT_MS)),
            ),
          ]);
          clearTimeout(to);
        }
      fake.hooks.delete(String(chat));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, users) }, worker));
  const tAck = performance.now();
  agent.destroy();
  return { t0, tAck, ack, rep, errors, timeouts };
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};

/** Waits until no reply has reached the fake for 300 ms (a bot may still work after its last webhook answer). */
async function repliesStopped(fake: Fake): Promise<void> {
  let last = fake.sent;
  for (let stable = 0; stable < 6; ) {
    await sleep(50);
    if (fake.sent === last) stable++;
    else {
      stable = 0;
      last = fake.sent;
    }
  }
}

/** Redis figures of one span: INFO commandstats, cpu and stats of the bot's server, the bot's flushes. */
async function redisSpan(bot: Bot) {
  const { admin } = bot.redis;
  await admin.config('RESETSTAT');
  const cpu0 = await admin.info('cpu');
  const reads0 = infoNumber(await admin.info('stats'), 'total_reads_processed');
  const trips0 = await readTrips(bot);
  return async (updates: number) => {
    const info = await admin.info('all'); // commandstats, cpu, stats in one reading
    const trips1 = await readTrips(bot);
    const commands = commandStats(info);
    // Ours, not the bot's: CONFIG RESETSTAT, INFO cpu, INFO stats (INFO all is not in its own figures).
    commands.set('config|resetstat', (commands.get('config|resetstat') ?? 1) - 1);
    commands.set('info', (commands.get('info') ?? 2) - 2);
    for (const [k, v] of commands) if (v <= 0) commands.delete(k);
    let trips = 0;
    for (const [p, n] of trips1) trips += n - (trips0.get(p) ?? 0);
    const cpuS = (s: string) => infoNumber(s, 'used_cpu_user') + infoNumber(s, 'used_cpu_sys');
    return {
      commands,
      cmds: [...commands.values()].reduce((a, b) => a + b, 0) / updates,
      trips: trips / updates,
      // Reads the server made of its clients' sockets (reads0 was taken after ours before it; INFO all is ours).
      serverReads: Math.max(0, infoNumber(info, 'total_reads_processed') - reads0 - 1) / updates,
      redisCpu: ((cpuS(info) - cpuS(cpu0)) * 1000) / updates,
    };
  };
}

/** Per second with no update coming: the bot's background (polling, timers), which every run also pays. */
export async function measureIdle(bot: Bot, ms: number): Promise<Bot['idle']> {
  const pid = bot.child.pid!;
  const end = await redisSpan(bot);
  const c0 = treeCpuMs(pid);
  const t0 = performance.now();
  await sleep(ms);
  const c1 = treeCpuMs(pid);
  const s = (performance.now() - t0) / 1000;
  const r = await end(s);
  return { cpuMs: (c1 - c0) / s, cmds: r.cmds, trips: r.trips };
}

/** One measured run of one bot, then the Redis counts again with one user at a time. */
export async function measure(bot: Bot, fake: Fake, users: number, chatBase: number, opts: DriveOpts, repeat: number, seqUsers: number): Promise<Run> {
  const pid = bot.child.pid!;
  const script = bot.def.script ?? SCRIPT;
  const onboard0 = process.cpuUsage();
  if (bot.def.onboard) {
    // Returning users: what every user sends once (outside every figure below).
    await drive(bot.url, fake, chatBase, users + seqUsers, { ...opts, rounds: 1, script: bot.def.onboard });
    await repliesStopped(fake);
  }
  const onboardCpu = process.cpuUsage(onboard0);
  const onboardDriverMs = (onboardCpu.user + onboardCpu.system) / 1000;
  const redisEnd = await redisSpan(bot);
  const sent0 = fake.sent;
  const bytes0 = fake.bytes;
  const hwm = resetPeak(pid);
  let peak = treeMb(pid, 'VmRSS');
  const sampler = setInterval(() => (peak = Math.max(peak, treeMb(pid, 'VmRSS'))), 100);
  const cpu0 = treeCpuMs(pid);
  const d = await drive(bot.url, fake, chatBase, users, { ...opts, script });
  await repliesStopped(fake);
  const cpu1 = treeCpuMs(pid);
  clearInterval(sampler);
  peak = Math.max(peak, treeMb(pid, 'VmRSS'), hwm ? treeMb(pid, 'VmHWM') : 0);
  const updates = d.ack.length;
  const r = await redisEnd(updates);
  const tEnd = Math.max(d.tAck, fake.last);
  const replies = fake.sent - sent0;
  const bytesPerReply = (fake.bytes - bytes0) / Math.max(1, replies);
  // One user at a time: no other user's commands to share a flush with.
  const seqEnd = await redisSpan(bot);
  const seq = await drive(bot.url, fake, chatBase + users, seqUsers, { ...opts, concurrency: 1, script });
  await repliesStopped(fake);
  const sr = await seqEnd(seq.ack.length);
  return {
    repeat,
    updates,
    cpu: (cpu1 - cpu0) / updates,
    perSec: updates / ((tEnd - d.t0) / 1000),
    p50: quantile(d.rep, 0.5),
    p99: quantile(d.rep, 0.99),
    ackP50: quantile(d.ack, 0.5),
    ackP99: quantile(d.ack, 0.99),
    rss: peak,
    cmds: r.cmds,
    trips: r.trips,
    serverReads: r.serverReads,
    seqCmds: sr.cmds,
    seqTrips: sr.trips,
    redisCpu: r.redisCpu,
    replies: replies / updates,
    bytesPerReply,
    errors: d.errors + seq.errors,
    timeouts: d.timeouts + seq.timeouts,
    commands: r.commands,
    onboardDriverMs,
  };
}

// ---------------------------------------------------------------- figures

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const digits = (x: number) => (!Number.isFinite(x) ? 0 : Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
export const fmt = (x: number, n = digits(x)) => (Number.isFinite(x) ? x.toFixed(n) : String(x));
/** "median (min–max)", or the median alone when every repeat gave the same. */
export const mmm = (xs: number[]) => {
  const s = sorted(xs);
  const m = median(xs);
  const n = digits(m);
  return fmt(s[0]!, n) === fmt(s[s.length - 1]!, n) ? fmt(m, n) : `${fmt(m, n)} (${fmt(s[0]!, n)}–${fmt(s[s.length - 1]!, n)})`;
};
const round = (x: number, n: number) => +x.toFixed(n);

/** Puts the median of the repeats under `key`, and their min–max under `<key>_spread` (bench/results.ts shows both). */
export function putMedian(out: Record<string, number | string>, key: string, xs: number[], n: number): void {
  out[key] = round(median(xs), n);
  if (xs.length > 1) out[`${key}_spread`] = `${fmt(Math.min(...xs), n)}–${fmt(Math.max(...xs), n)}`;
}

type Field = 'cpu' | 'p50' | 'p99' | 'perSec' | 'rss' | 'cmds' | 'trips' | 'seqCmds' | 'seqTrips';

const DOES: Record<string, string> = {
  waspada:
    'checks the secret and the update\'s shape; in one Redis script counts the sender against the flood limit, drops a seen `update_id` and keeps the update, sealed (AES-256-GCM), in the durable inbox stream; answers 200; a worker claims the update, loads and opens the sealed session, runs the flow engine on the typed words (intents with typo matching, the job-offer mark), seals and saves the session and queues the reply in the durable outbox in one script; the outbox sender takes it, sends it to the Bot API, records the outcome and acks the inbox in 5 ms batches',
  'waspada-noflags': 'the same as waspada, without the Dockerfile\'s `NODE_OPTIONS` (so the table shows what those flags cost)',
  before: 'Waspada at BENCH_BEFORE, with the Dockerfile\'s flags',
  telegraf:
    'Express + telegraf webhookCallback (secret check), @telegraf/session Redis store (node-redis): session GET before and SET after the update; Stage + WizardScene; one sendMessage; the last step INCR + LPUSH the case (ioredis). Nothing durable between the webhook and the reply: the webhook is answered after the reply was sent',
  grammy:
    'Express + grammY webhookCallback (secret check), session middleware on @grammyjs/storage-redis (ioredis): GET before and SET after; a step machine; one sendMessage; the last step INCR + LPUSH the case. Nothing durable between the webhook and the reply; the webhook is answered after the reply was sent',
  floor: 'node:http, secret check, JSON.parse, one GET + one SET (ioredis), one sendMessage over a keep-alive agent: the least a webhook bot with a session can do',
};

/** The conversation's size from BENCH_USERS, BENCH_ROUNDS, BENCH_REPEATS, BENCH_CONCURRENCY, BENCH_SEQUENTIAL_USERS. */
export function sizeFromEnv(seqUsersDefault: number): Omit<Settings, 'order'> {
  return {
    users: Number(process.env.BENCH_USERS ?? 400),
    rounds: Number(process.env.BENCH_ROUNDS ?? 2),
    repeats: Number(process.env.BENCH_REPEATS ?? 3),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64),
    seqUsers: Number(process.env.BENCH_SEQUENTIAL_USERS ?? seqUsersDefault),
  };
}

export async function benchWebhook(): Promise<Record<string, number | string>> {
  if (!COMPILED) throw new Error('the webhook bench measures the compiled code: run it through `npm run bench` (or node dist/bench/webhook.js after a build)');
  const { users, rounds, repeats, concurrency, seqUsers } = sizeFromEnv(20);
  const defs = definitions();
  const fake = await startFake();
  const opts = (chatBase: number): DriveOpts => ({ rounds, concurrency, chatBase });
  const bots: Bot[] = [];
  const order: string[] = [];
  try {
    for (const [i, def] of defs.entries()) bots.push(await startBot(def, fake.apiRoot, fake, opts(900_000 + i * 1000)));
    await sleep(500);
    for (const b of bots) b.idle = await measureIdle(b, 3000);
    let chat = 1_000_000;
    for (let r = 0; r < repeats; r++) {
      const seq = bots.map((_, i) => bots[(i + r) % bots.length]!);
      order.push(seq.map((b) => b.def.name).join(' > '));
      for (const b of seq) {
        b.runs.push(await measure(b, fake, users, chat, opts(chat), r + 1, seqUsers));
        chat += users + seqUsers;
        process.stderr.write(`  webhook: repeat ${r + 1}/${repeats} ${b.def.name}: ${fmt(b.runs.at(-1)!.cpu)} ms CPU/update\n`);
      }
    }
  } finally {
    for (const b of bots) await stopBot(b);
    await fake.close();
  }
  return report(bots, { users, rounds, repeats, concurrency, seqUsers, order });
}

export interface Settings {
  users: number;
  rounds: number;
  repeats: number;
  concurrency: number;
  seqUsers: number;
  order: string[];
}

/** The figures that say how big the run was. */
export function settingsFigures(s: Settings): Record<string, number | string> {
  return {
    users: s.users,
    rounds: s.rounds,
    steps: SCRIPT.length,
    updates_per_run: s.users * s.rounds * SCRIPT.length,
    repeats: s.repeats,
    concurrency: s.concurrency,
  };
}

function report(bots: Bot[], s: Settings): Record<string, number | string> {
  const byName = new Map(bots.map((b) => [b.def.name, b]));
  const col = (b: Bot, f: keyof Run) => b.runs.map((r) => r[f] as number);
  const ratios = (a: Bot, b: Bot, f: Field) => a.runs.map((r, i) => (r[f] as number) / (b.runs[i]![f] as number));
  const out = settingsFigures(s);
  const w = byName.get('waspada');
  if (w) {
    const put = (key: string, xs: number[], n: number) => putMedian(out, key, xs, n);
    put('waspada_cpu_ms_per_update', col(w, 'cpu'), 3);
    for (const peer of ['telegraf', 'grammy', 'floor', 'before']) {
      const p = byName.get(peer);
      if (p) put(`waspada_cpu_ratio_vs_${peer}`, ratios(w, p, 'cpu'), 2);
    }
    for (const peer of ['telegraf', 'grammy']) {
      const p = byName.get(peer);
      if (p) put(`waspada_p99_ratio_vs_${peer}`, ratios(w, p, 'p99'), 2);
    }
    put('waspada_p50_ms', col(w, 'p50'), 1);
    put('waspada_p99_ms', col(w, 'p99'), 1);
    put('waspada_updates_per_s', col(w, 'perSec'), 0);
    put('waspada_peak_rss_mb', col(w, 'rss'), 1);
    put('waspada_redis_commands_per_update', col(w, 'cmds'), 2);
    put('waspada_redis_round_trips_per_update', col(w, 'trips'), 2);
    put('waspada_redis_commands_per_update_one_user', col(w, 'seqCmds'), 2);
    put('waspada_redis_round_trips_per_update_one_user', col(w, 'seqTrips'), 2);
    // The peers' own figures, for the one table of bench/RESULTS.md.
    for (const peer of ['telegraf', 'grammy']) {
      const p = byName.get(peer);
      if (!p) continue;
      put(`${peer}_cpu_ms_per_update`, col(p, 'cpu'), 3);
      put(`${peer}_p50_ms`, col(p, 'p50'), 1);
      put(`${peer}_p99_ms`, col(p, 'p99'), 1);
      put(`${peer}_updates_per_s`, col(p, 'perSec'), 0);
      put(`${peer}_peak_rss_mb`, col(p, 'rss'), 1);
      put(`${peer}_redis_commands_per_update`, col(p, 'cmds'), 2);
      put(`${peer}_redis_round_trips_per_update`, col(p, 'trips'), 2);
    }
    const nf = byName.get('waspada-noflags');
    if (nf) put('heap_flags_cpu_ratio', ratios(w, nf, 'cpu'), 2);
    if (process.env.BENCH_BEFORE) out.before_ref = process.env.BENCH_BEFORE;
  }
  out.failed_steps = bots.reduce((n, b) => n + b.runs.reduce((m, r) => m + r.errors + r.timeouts, 0), 0);
  out.markdown = markdown(bots, s, ratios);
  return out;
}

function markdown(bots: Bot[], s: Settings, ratios: (a: Bot, b: Bot, f: Field) => number[]): string {
  const L: string[] = [];
  const row = (cells: (string | number)[]) => L.push(`| ${cells.join(' | ')} |`);
  L.push(
    `Settings: ${s.users} users × ${s.rounds} rounds × ${SCRIPT.length} typed steps (\`${SCRIPT.join(' | ')}\` for the peers; \`${WASPADA_SCRIPT.join(' | ')}\` for Waspada, whose users each sent \`${ONBOARD.join(' | ')}\` once before, outside every figure: a new person first gets its privacy notice, and its report asks the age and the relation before the country, so the harness's words would measure "please agree first" and "reply with a number" instead of its report) = ${s.users * s.rounds * SCRIPT.length} updates per bot per repeat, ${s.concurrency} users in flight, ${s.repeats} repeats, ${WARMUP_USERS} warm-up users per bot first; one fake Bot API without rate limits; each bot on its own redis-server (\`--save '' --appendonly no\`).`,
    '',
    'Order per repeat (rotated):',
    '',
    ...s.order.map((o, i) => `${i + 1}. ${o}`),
    '',
    'Per update, median (min–max) over the repeats:',
    '',
  );
  row(['bot', 'CPU ms', 'p50 ms', 'p99 ms', 'webhook answer p99 ms', 'updates/s', 'peak RSS MB', 'Redis commands', 'Redis round trips', 'Redis commands, 1 user at a time', 'Redis round trips, 1 user at a time', 'Redis server CPU ms', 'replies', 'failed steps']);
  row(Array(14).fill('---'));
  for (const b of bots) {
    const c = (f: keyof Run) => mmm(b.runs.map((r) => r[f] as number));
    row([b.def.name, c('cpu'), c('p50'), c('p99'), c('ackP99'), c('perSec'), c('rss'), c('cmds'), c('trips'), c('seqCmds'), c('seqTrips'), c('redisCpu'), c('replies'), b.runs.reduce((n, r) => n + r.errors + r.timeouts, 0)]);
  }
  const ws = bots.filter((b) => b.def.name === 'waspada' || b.def.name === 'waspada-noflags' || b.def.name === 'before');
  const others = bots.filter((b) => !ws.includes(b));
  if (ws.length && others.length) {
    L.push('', 'Waspada over the others, taken per repeat (same conditions), median (min–max); below 1 is Waspada cheaper, faster (latency) or smaller:', '');
    row(['', 'CPU', 'p50', 'p99', 'updates/s', 'peak RSS', 'Redis commands', 'Redis round trips', 'Redis round trips, 1 user at a time']);
    row(Array(9).fill('---'));
    for (const w of ws)
      for (const o of [...others, ...ws.filter((x) => x !== w && w.def.name === 'waspada')]) {
        const r = (f: Field) => mmm(ratios(w, o, f));
        row([`${w.def.name} / ${o.def.name}`, r('cpu'), r('p50'), r('p99'), r('perSec'), r('rss'), r('cmds'), r('trips'), r('seqTrips')]);
      }
  }
  L.push('', 'Idle, per second (3 s without updates, after the warm-up): what every run also pays for background work:', '');
  row(['bot', 'CPU ms/s', 'Redis commands/s', 'Redis round trips/s']);
  row(Array(4).fill('---'));
  for (const b of bots) if (b.idle) row([b.def.name, fmt(b.idle.cpuMs), fmt(b.idle.cmds), fmt(b.idle.trips)]);
  L.push('', 'Per repeat, CPU ms per update and p99 ms:', '');
  row(['repeat', ...bots.map((b) => b.def.name)]);
  row(Array(bots.length + 1).fill('---'));
  for (let i = 0; i < s.repeats; i++) row([String(i + 1), ...bots.map((b) => (b.runs[i] ? `${fmt(b.runs[i]!.cpu)} / ${fmt(b.runs[i]!.p99)}` : ''))]);
  L.push('', 'Redis commands per update (last repeat, users in flight), and how often the server read its clients\' sockets per update (a cross-check of the round trips: flushes that arrive together are read once):', '');
  for (const b of bots) {
    const r = b.runs.at(-1);
    if (!r) continue;
    const cmds = [...r.commands].sort((a, b2) => b2[1] - a[1]).map(([k, v]) => `${k} ${fmt(v / r.updates, 2)}`);
    L.push(`- ${b.def.name} (server reads ${fmt(r.serverReads, 2)}): ${cmds.join(', ')}`);
  }
  L.push(
    '',
    '### Fairness notes',
    '',
    '- Same for every bot: the compiled or plain JavaScript run by `node` itself (no tsx), `NODE_ENV=production`, a fresh redis-server of its own, the same fake Bot API, typed words only (the peers those of the harness, Waspada its own report answers, as many steps: see Settings), the same users in flight, fresh chat ids in every run, a warm-up first, the order rotated every repeat. Only Waspada gets the Dockerfile\'s heap flags (and a variant without them); the peers run with Node\'s defaults, as their authors would ship them.',
    '- Latency is from the POST of an update to the first sendMessage of that chat reaching the fake; the next step goes only after both the webhook answer and that reply. CPU is user + system time of the bot\'s process tree from `/proc/<pid>/stat`, read once its replies stopped (Waspada answers the webhook before it works on the update). Peak RSS is the kernel\'s peak (VmHWM, reset through `/proc/<pid>/clear_refs` before each run) of the process tree, at least the highest 100 ms sample.',
    '- Redis commands: `INFO commandstats` of the bot\'s own redis-server (reset before each run), summed over all commands, including those run inside Lua scripts (Redis counts them too); the bench\'s own CONFIG RESETSTAT and INFO are taken out. Redis server CPU is that server\'s used_cpu_user + used_cpu_sys over the run: work a bot moves into Lua scripts shows there, not in its own CPU.',
    `- Redis round trips: every bot runs with the same preload (\`--require dist/bench/redis-trips.cjs\` in NODE_OPTIONS, so child processes too) that counts each flush of bytes to a socket whose remote port is the Redis port (each call of net.Socket \`_write\`/\`_writev\`: what the stream hands to the kernel in one go). Commands sent together (MULTI, pipelines, ioredis auto-pipelining as Waspada uses, node-redis's per-tick batch as @telegraf/session uses) count once; each command written on its own counts once. The count is read by signalling the bot outside the CPU window. With many users in flight a client that batches (auto-pipelining, corking) puts several users' commands in one flush, so the count is also taken with one user at a time (${s.seqUsers} more users × ${s.rounds} rounds after each run, outside its CPU and latency figures): there no other user's command can share a flush, and the count is the round trips each update costs. The targets hold only if both counts meet them.`,
    '- Work per update differs in kind, and the tables measure all of it: what each bot does per update:',
    ...bots.map((b) => `  - ${b.def.name}: ${DOES[b.def.name] ?? ''}`),
    '- What each bot answered to the five steps (first warm-up user, first round):',
    ...bots.map((b) => `  - ${b.def.name}: ${b.sample.map((t) => `«${t.replace(/\s+/g, ' ').slice(0, 60)}${t.length > 60 ? '…' : ''}»`).join(' → ')}`),
  );
  return L.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchWebhook().then((f) => {
    const { markdown: md, ...rest } = f;
    console.log(JSON.stringify(rest, null, 2));
    console.log(md);
  });
}
