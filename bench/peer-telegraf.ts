// Peer for the webhook bench: what a developer would build with telegraf's own tools: a WizardScene
// for the report flow and @telegraf/session's Redis store, in webhook mode under Express.
// Flow: /start -> menu; "lapor" -> name -> country -> last contact -> case saved to a Redis list.
// The same bot as peer-telegraf.mjs of the project's independent side-by-side harness (the obvious
// way to build it, after telegraf's and @telegraf/session's READMEs); only typed here.
// Env: API_ROOT (the fake Bot API), PORT, SECRET, REDIS_URL, PREFIX.
import express from 'express';
import { Redis as IORedis } from 'ioredis';
import { Scenes, session, Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { Redis as RedisStore } from '@telegraf/session/redis';

const token = process.env.BOT_TOKEN || '123:bench';
const apiRoot = process.env.API_ROOT;
const port = Number(process.env.PORT || 3101);
const secret = process.env.SECRET || 'bench-secret';
const prefix = process.env.PREFIX || 'peer:';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redis = new IORedis(redisUrl);

type Ctx = Scenes.WizardContext;
interface Report {
  name?: string;
  country?: string;
}
const text = (ctx: Ctx) => (ctx.message && 'text' in ctx.message ? ctx.message.text : undefined);
const state = (ctx: Ctx) => ctx.wizard.state as Report;

const report = new Scenes.WizardScene<Ctx>(
  'report',
  async (ctx) => {
    await ctx.reply('Siapa nama anggota keluarga yang hilang?');
    return ctx.wizard.next();
  },
  async (ctx) => {
    state(ctx).name = text(ctx);
    await ctx.reply('Di negara mana terakhir kali?');
    return ctx.wizard.next();
  },
  async (ctx) => {
    state(ctx).country = text(ctx);
    await ctx.reply('Kapan terakhir kali ada kabar?');
    return ctx.wizard.next();
  },
  async (ctx) => {
    const id = await redis.incr(prefix + 'case:seq');
    await redis.lpush(prefix + 'hotline', JSON.stringify({ id, chat: ctx.chat!.id, ...state(ctx), last: text(ctx) }));
    await ctx.reply(`Laporan tersimpan. Nomor kasus: ${id}`);
    return ctx.scene.leave();
  },
);

const bot = new Telegraf<Ctx>(token, { telegram: apiRoot ? { apiRoot } : {}, handlerTimeout: 10_000 });
bot.botInfo = { id: 1, is_bot: true, first_name: 'bench', username: 'bench_bot' } as UserFromGetMe;
bot.use(session({ store: RedisStore<Scenes.WizardSession>({ url: redisUrl, prefix: prefix + 'sess:' }) }));
bot.use(new Scenes.Stage<Ctx>([report]).middleware());
bot.start((ctx) => ctx.reply('Selamat datang. Ketik "lapor" untuk melaporkan keluarga yang hilang.'));
bot.hears(/^lapor$/i, (ctx) => ctx.scene.enter('report'));
bot.on('message', (ctx) => ctx.reply('Ketik "lapor" atau /start.'));

const app = express();
app.use(bot.webhookCallback('/webhooks/telegram', { secretToken: secret }));
app.listen(port, '127.0.0.1', () => console.log(`peer-telegraf listening ${port}`));
