// Baseline for the webhook benchmark: a conventional telegraf bot (bench/telegraf-wizard.ts: WizardScene,
// session() on Redis, Express webhook) in its own process, replying to the local Telegram fake.
// 50 warm-up users, then `users` users × 5 steps with 100 in flight. Figures are the server process's.
//   npx tsx bench/wizard-baseline.ts            (REDIS_URL, default redis://127.0.0.1:6379/0)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { startFakeTelegram } from '../test/fakes/telegram-api.js';
import { driveWebhook, type CpuSample } from './webhook-harness.js';

/** What each user types: /start, then four answers (the wizard replies to each, 5 replies in all). */
export const WIZARD_STEPS = ['/start', '1', '8', '1', '2'];
const WIZARD_FILE = join(dirname(fileURLToPath(import.meta.url)), 'telegraf-wizard.ts');

interface WizardChild {
  url: string;
  cpu(): Promise<CpuSample>;
  stop(): Promise<void>;
}

/** Spawns `node --import tsx bench/telegraf-wizard.ts` and speaks its stdin/stdout line protocol. */
async function spawnWizard(env: Record<string, string>): Promise<WizardChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WIZARD_FILE], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((s: CpuSample) => void)[] = [];
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const ready = new Promise<string>((resolveReady, rejectReady) => {
    child.once('exit', (code) => rejectReady(new Error(`telegraf-wizard exited (code ${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: any;
      try {
        msg = JSON.parse(line);
      } catch {
        return; // not ours
      }
      if (msg.ready) resolveReady(msg.url);
      else if (typeof msg.user === 'number') waiting.shift()?.(msg as CpuSample);
    });
  });
  const url = await Promise.race([
    ready,
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error('telegraf-wizard not ready after 30 s')), 30_000).unref()),
  ]);
  return {
    url,
    cpu: () =>
      new Promise<CpuSample>((res, rej) => {
        if (exited) return rej(new Error('telegraf-wizard has exited'));
        waiting.push(res);
        child.stdin!.write('cpu\n');
      }),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(t);
    },
  };
}

async function dropPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

export async function benchWizardBaseline(opts: { users?: number; concurrency?: number; redisUrl?: string } = {}): Promise<Record<string, number>> {
  const users = opts.users ?? 1000;
  const concurrency = opts.concurrency ?? 100;
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const prefix = `waspada-bench:wizard:${randomUUID().slice(0, 8)}`;
  const secret = randomBytes(24).toString('base64url');
  const fake = await startFakeTelegram();
  let wizard: WizardChild | undefined;
  try {
    wizard = await spawnWizard({
      WIZ_API_ROOT: fake.apiRoot,
      WIZ_TOKEN: fake.token,
      WIZ_SECRET: secret,
      WIZ_PREFIX: prefix,
      REDIS_URL: redisUrl,
      PORT: '0',
    });
    const common = {
      url: wizard.url,
      secret,
      steps: WIZARD_STEPS,
      fake,
      cpu: wizard.cpu,
      expectedRepliesPerUser: WIZARD_STEPS.length,
    };
    const warm = await driveWebhook({ ...common, users: 50, concurrency: 50, userIdBase: 800_000_000, updateIdBase: 1 });
    if (warm.failed) throw new Error(`warm-up: ${warm.failed} of 50 conversations failed`);
    fake.reset();
    const connectionsBefore = fake.connectionsAccepted;
    const figures = await driveWebhook({ ...common, users, concurrency, userIdBase: 810_000_000, updateIdBase: 1_000_000 });
    return {
      users,
      concurrency,
      ...figures,
      // Connections the server opened to the Bot API during the run: stays small with keep-alive.
      api_connections: fake.connectionsAccepted - connectionsBefore,
    };
  } finally {
    await wizard?.stop();
    await dropPrefix(redisUrl, prefix);
    await fake.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const users = process.env.BENCH_USERS ? Number(process.env.BENCH_USERS) : undefined;
  benchWizardBaseline(users ? { users } : {}).then(
    (f) => console.log(JSON.stringify(f, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
