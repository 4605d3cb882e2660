// Peer for the webhook bench: the leaner choice a TypeScript developer might make instead of telegraf:
// grammY with its session middleware on @grammyjs/storage-redis (ioredis) and the 5-step report flow
// as a small step machine in the session, under Express through grammY's own webhook adapter.
// The same bot as peer-grammy.mjs of the project's independent side-by-side harness (the obvious way
// to build it, after grammY's and @grammyjs/storage-redis's READMEs); only typed here.
// Env: API_ROOT (the fake Bot API), PORT, SECRET, REDIS_URL, PREFIX.
import express from 'express';
import { Bot, session, webhookCallback, type Context, type SessionFlavor } from 'grammy';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Redis as IORedis } from 'ioredis';

const token = process.env.BOT_TOKEN || '123:bench';
const apiRoot = process.env.API_ROOT;
const port = Number(process.env.PORT || 3102);
const secret = process.env.SECRET || 'bench-secret';
const prefix = process.env.PREFIX || 'peerg:';
const redis = new IORedis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');

interface Session {
  step: number;
  name?: string;
  country?: string;
}
type Ctx = Context & SessionFlavor<Session>;

const bot = new Bot<Ctx>(token, {
  client: apiRoot ? { apiRoot } : {},
  botInfo: {
    id: 1,
    is_bot: true,
    first_name: 'bench',
    username: 'bench_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as Bot['botInfo'],
});
bot.use(
  session({
    initial: (): Session => ({ step: 0 }),
    getSessionKey: (ctx) => prefix + 'sess:' + ctx.chat?.id,
    storage: new RedisAdapter<Session>({ instance: redis }),
  }),
);
bot.command('start', (ctx) => {
  ctx.session = { step: 0 };
  return ctx.reply('Selamat datang. Ketik "lapor" untuk melaporkan keluarga yang hilang.');
});
bot.on('message:text', async (ctx) => {
  const s = ctx.session;
  const text = ctx.message.text;
  switch (s.step) {
    case 0:
      if (!/^lapor$/i.test(text)) return ctx.reply('Ketik "lapor" atau /start.');
      s.step = 1;
      return ctx.reply('Siapa nama anggota keluarga yang hilang?');
    case 1:
      s.name = text;
      s.step = 2;
      return ctx.reply('Di negara mana terakhir kali?');
    case 2:
      s.country = text;
      s.step = 3;
      return ctx.reply('Kapan terakhir kali ada kabar?');
    case 3: {
      const id = await redis.incr(prefix + 'case:seq');
      await redis.lpush(prefix + 'hotline', JSON.stringify({ id, chat: ctx.chat.id, name: s.name, country: s.country, last: text }));
      ctx.session = { step: 0 };
      return ctx.reply(`Laporan tersimpan. Nomor kasus: ${id}`);
    }
  }
});

const app = express();
app.use(express.json());
app.post('/webhooks/telegram', webhookCallback(bot, 'express', { secretToken: secret }));
app.listen(port, '127.0.0.1', () => console.log(`peer-grammy listening ${port}`));
