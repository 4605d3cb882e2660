// Benchmark of the Telegram webhook path, against a conventional telegraf bot doing the same 5 steps
// (bench/telegraf-wizard.ts: WizardScene + session() on Redis + Express webhookCallback), in the same
// run, each server in its own process with the same Node options, replies going to the local fake
// Bot API. CPU and RSS are read from /proc for the server process only.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js';
import { dropPrefix } from '../test/helpers/redis.js';
import { driveWebhook, type CpuSample, type DriveFigures } from './webhook-harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// Compiled: dist/bench → the repository is two levels up; from source: one.
const ROOT = resolve(HERE, HERE.includes(`${join('dist', 'bench')}`) ? '../..' : '..');
const TOKEN = '123456789:AAF-waspada-bench-token-0123456789';
const SECRET = 'bench-secret-0123456789abcdef';
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

export async function benchWebhook(opts: { users?: number } = {}): Promise<Record<string, number>> {
  const users = opts.users ?? Number(process.env.BENCH_USERS ?? 1000);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const fake = await startFakeTelegram({ token: TOKEN });
  const prefix = `waspada-bench-webhook:${randomUUID().slice(0, 8)}`;
  const wizPrefix = `waspada-bench-wizard:${randomUUID().slice(0, 8)}`;
  const ext = HERE.includes(join('dist', 'bench')) ? 'js' : 'ts';
  const loader = ext === 'ts' ? ['--import', 'tsx'] : [];
  try {
    const ours = await spawnServer(
      [...loader, join(ROOT, ext === 'js' ? 'dist/src/cli.js' : 'src/cli.ts'), 'serve'],
      {
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        HASH_SECRET: 'bench-hash-secret-0123456789',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: fake.apiRoot,
        PORT: '0',
        LOG_LEVEL: 'info',
        // The fake has no rate limit; Telegram's own limits would make this a benchmark of waiting.
        TELEGRAM_RATE_PER_CHAT: '1000',
        TELEGRAM_RATE_GLOBAL: '1000000',
      },
      (line) => {
        const port = /"port":(\d+)/.exec(line)?.[1];
        return port ? `http://127.0.0.1:${port}/webhooks/telegram` : null;
      },
    );
    const mine = await run(ours, fake, users, 5, 100_000_000);
    await ours.stop();
    fake.reset();
    const wizard = await spawnServer(
      [...loader, join(HERE, `telegraf-wizard.${ext}`)],
      { WIZ_API_ROOT: fake.apiRoot, WIZ_TOKEN: TOKEN, WIZ_SECRET: SECRET, REDIS_URL: redisUrl, PORT: '0', WIZ_PREFIX: wizPrefix },
      (line) => {
        try {
          const msg = JSON.parse(line) as { ready?: boolean; url?: string };
          return msg.ready ? msg.url! : null;
        } catch {
          return null;
        }
      },
    );
    const base = await run(wizard, fake, users, 5, 200_000_000);
    await wizard.stop();
    return {
      users,
      updates: mine.updates,
      failed_users: mine.failed,
      updates_per_s: mine.updates_per_s,
      cpu_ms_per_update: mine.cpu_ms_per_update,
      p50_ms: mine.p50_ms,
      p99_ms: mine.p99_ms,
      peak_rss_mb: mine.peak_rss_mb,
      wizard_failed_users: base.failed,
      wizard_updates_per_s: base.updates_per_s,
      wizard_cpu_ms_per_update: base.cpu_ms_per_update,
      wizard_p99_ms: base.p99_ms,
      wizard_peak_rss_mb: base.peak_rss_mb,
      cpu_ratio_vs_wizard: +(mine.cpu_ms_per_update / base.cpu_ms_per_update).toFixed(3),
    };
  } finally {
    await fake.close();
    await dropKeys(redisUrl, prefix);
    await dropKeys(redisUrl, wizPrefix);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchWebhook().then((f) => console.log(JSON.stringify(f, null, 2)));
}
