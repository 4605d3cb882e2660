// A conventional telegraf bot, kept for test/fakes/telegram-api.test.ts (the fake Bot API checked against
// a real telegraf bot); the webhook bench's peers are peer-telegraf.ts, peer-grammy.ts and peer-floor.ts.
// How a Telegram bot is conventionally written with telegraf: a 5-step Scenes.WizardScene, telegraf's
// session() middleware over a small Redis store, served under Express through
// bot.webhookCallback(path, { secretToken }).
//
// The five steps mirror our scripted conversation, one reply per incoming text message, each with an
// inline keyboard: language (2 buttons) → welcome/consent (~400 characters, 3) → menu (8) →
// settings (3) → confirmation (text), then it leaves the scene.
//
// Use it in-process (startWizardServer) or as a child process, so a harness can measure the server
// alone:
//   WIZ_API_ROOT=http://127.0.0.1:PORT WIZ_TOKEN=... WIZ_SECRET=... REDIS_URL=redis://... PORT=0 \
//     node --import tsx bench/telegraf-wizard.ts
// prints one line {"ready":true,"url":"...","pid":N,"prefix":"..."} and then answers every line "cpu"
// on stdin (or IPC message "cpu") with {"user":µs,"system":µs,"rss":bytes}. SIGTERM closes it and
// removes its Redis keys. WIZ_PREFIX chooses the Redis key prefix (default: a random one).
//
// telegraf quirks met here (telegraf 4.16):
// - The webhook filter compares the path with req.url *exactly*: mount it with app.post(path, ...) (app.use(path, ...)
//   strips the mount path, and a query string never matches). A wrong path or secret calls next(), so under
//   Express the answer is Express's 404, not telegraf's own 403.
// - ApiClient drops options.agent when apiRoot starts with http:// (and every update gets a fresh Telegram
//   built from the same options), so the keep-alive agent below only takes effect for https roots; against the
//   http fake, node-fetch falls back to http.globalAgent, which keeps connections alive since Node 19.
// - The default error handler rethrows and sets process.exitCode = 1; the webhook then answers 500.
// - session() writes the session back only after the whole middleware chain, i.e. after the reply was sent.
//   A user's next update can therefore arrive before the store write; it still reads the fresh session
//   because telegraf keeps it cached while an update of that key is in flight, and because this
//   store's GET and SET go over one Redis connection in order.
import { randomUUID } from 'node:crypto';
import { Agent, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { Redis } from 'ioredis';
import { Markup, Scenes, session, Telegraf } from 'telegraf';

export interface WizardServerOptions {
  apiRoot: string;
  token: string;
  secret: string;
  redisUrl: string;
  port?: number;
  /** Redis key prefix; default a random `waspada-bench:wizard:xxxxxxxx`. */
  prefix?: string;
}

export interface WizardServer {
  url: string;
  prefix: string;
  close(): Promise<void>;
}

const SESSION_TTL_SECONDS = 3600;
export const WEBHOOK_PATH = '/webhooks/telegram';

/** telegraf's session store contract ({ get, set, delete }) over Redis, JSON with a TTL. */
export function redisSessionStore<T>(redis: Redis, prefix: string, ttlSeconds = SESSION_TTL_SECONDS) {
  return {
    async get(key: string): Promise<T | undefined> {
      const raw = await redis.get(`${prefix}:${key}`);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(key: string, value: T): Promise<void> {
      await redis.set(`${prefix}:${key}`, JSON.stringify(value), 'EX', ttlSeconds);
    },
    async delete(key: string): Promise<void> {
      await redis.del(`${prefix}:${key}`);
    },
  };
}

type Ctx = Scenes.WizardContext;

const CONSENT =
  'Selamat datang di Waspada. Kami membantu pekerja migran Indonesia memeriksa tawaran kerja, mengenali ' +
  'tanda-tanda perdagangan orang, dan menghubungi bantuan resmi. Percakapan ini tidak membagikan nomor atau ' +
  'nama Anda kepada siapa pun. Anda bisa menghapus data kapan saja dengan mengetik HAPUS. Dengan menekan ' +
  '"Setuju", Anda mengizinkan kami menyimpan jawaban Anda selama 30 hari agar bisa melanjutkan percakapan.';

/** Keeps the user's answers in the scene state, so every step changes the stored session. */
function remember(ctx: Ctx): void {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  const state = ctx.wizard.state as { answers?: string[] };
  (state.answers ??= []).push(text);
}

function buildWizard(): Scenes.WizardScene<Ctx> {
  return new Scenes.WizardScene<Ctx>(
    'onboarding',
    async (ctx) => {
      remember(ctx);
      await ctx.reply(
        'Pilih bahasa / Choose your language',
        Markup.inlineKeyboard([Markup.button.callback('Bahasa Indonesia', 'lang:id'), Markup.button.callback('English', 'lang:en')]),
      );
      return ctx.wizard.next();
    },
    async (ctx) => {
      remember(ctx);
      await ctx.reply(
        CONSENT,
        Markup.inlineKeyboard([
          [Markup.button.callback('Setuju', 'consent:yes')],
          [Markup.button.callback('Baca dulu', 'consent:more'), Markup.button.callback('Tidak', 'consent:no')],
        ]),
      );
      return ctx.wizard.next();
    },
    async (ctx) => {
      remember(ctx);
      await ctx.reply(
        'Menu utama — apa yang ingin Anda lakukan?',
        Markup.inlineKeyboard(
          [
            Markup.button.callback('Cek tawaran kerja', 'menu:check'),
            Markup.button.callback('Tanda bahaya', 'menu:signs'),
            Markup.button.callback('Darurat', 'menu:emergency'),
            Markup.button.callback('Kontak resmi', 'menu:contacts'),
            Markup.button.callback('Panduan', 'menu:guide'),
            Markup.button.callback('Kasus saya', 'menu:case'),
            Markup.button.callback('Pengaturan', 'menu:settings'),
            Markup.button.callback('Hapus data', 'menu:forget'),
          ],
          { columns: 2 },
        ),
      );
      return ctx.wizard.next();
    },
    async (ctx) => {
      remember(ctx);
      await ctx.reply(
        'Pengaturan',
        Markup.inlineKeyboard([
          [Markup.button.callback('Ganti bahasa', 'settings:lang')],
          [Markup.button.callback('Pemberitahuan', 'settings:notify'), Markup.button.callback('Kembali', 'settings:back')],
        ]),
      );
      return ctx.wizard.next();
    },
    async (ctx) => {
      remember(ctx);
      await ctx.reply('Language changed to English. Type MENU at any time to see the menu again.');
      return ctx.scene.leave();
    },
  );
}

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

export async function startWizardServer(opts: WizardServerOptions): Promise<WizardServer> {
  const prefix = opts.prefix ?? `waspada-bench:wizard:${randomUUID().slice(0, 8)}`;
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2 });
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
  const bot = new Telegraf<Ctx>(opts.token, { telegram: { apiRoot: opts.apiRoot, agent } });
  bot.use(session({ store: redisSessionStore<Scenes.WizardSession>(redis, prefix) }));
  bot.use(new Scenes.Stage<Ctx>([buildWizard()]).middleware());
  bot.on('message', (ctx) => ctx.scene.enter('onboarding'));
  bot.catch((err, ctx) => {
    console.error(JSON.stringify({ msg: 'wizard update failed', update_id: ctx.update.update_id, err: String(err) }));
  });

  const app = express();
  app.disable('x-powered-by');
  app.post(WEBHOOK_PATH, bot.webhookCallback(WEBHOOK_PATH, { secretToken: opts.secret }));

  const server: Server = await new Promise((res, rej) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', (err?: Error) => (err ? rej(err) : res(s)));
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const { port } = server.address() as { port: number };

  let closed = false;
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    prefix,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      agent.destroy();
      await dropPrefix(redis, prefix).catch(() => undefined);
      redis.disconnect();
    },
  };
}

// --- child-process mode ----------------------------------------------------------------------------

function cpuLine(): string {
  const { user, system } = process.cpuUsage();
  return JSON.stringify({ user, system, rss: process.memoryUsage().rss });
}

async function main(): Promise<void> {
  const env = process.env;
  const missing = ['WIZ_API_ROOT', 'WIZ_TOKEN', 'WIZ_SECRET'].filter((k) => !env[k]);
  if (missing.length) {
    console.error(`telegraf-wizard: missing ${missing.join(', ')}`);
    process.exit(2);
  }
  const server = await startWizardServer({
    apiRoot: env.WIZ_API_ROOT!,
    token: env.WIZ_TOKEN!,
    secret: env.WIZ_SECRET!,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    port: Number(env.PORT ?? 0),
    ...(env.WIZ_PREFIX ? { prefix: env.WIZ_PREFIX } : {}),
  });
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'cpu') process.stdout.write(cpuLine() + '\n');
    else if (line.trim() === 'exit') void stop();
  });
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.(JSON.parse(cpuLine()));
  });
  process.stdout.write(JSON.stringify({ ready: true, url: server.url, pid: process.pid, prefix: server.prefix }) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
