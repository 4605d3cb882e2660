// Starts a whole Waspada process: Redis, content, conversation service, inbox worker, channels, HTTP.
import type { AddressInfo } from 'node:net';
import { TELEGRAM, TelegramChannel } from './channels/telegram.js';
import { requireServeConfig, type Config } from './config.js';
import { loadContent, type Content } from './content/index.js';
import type { EffectHandler } from './conversation/effects.js';
import { Inbox } from './conversation/inbox.js';
import { ConversationService } from './conversation/service.js';
import { formatProblem } from './engine/flow.js';
import { silentLogger, type Logger } from './log.js';
import { buildApp, createHttpServer, type FastRoutes } from './server.js';
import { keyspace } from './store/keys.js';
import { connectRedis, RedisStore } from './store/redis.js';

export interface Running {
  url: string;
  port: number;
  telegram: TelegramChannel;
  inbox: Inbox;
  close(drainMs?: number): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  content?: Content;
  /** Effects in place of the standard ones (tests). */
  effects?: Record<string, EffectHandler>;
  host?: string;
}

export async function startWaspada(config: Config, opts: StartOptions = {}): Promise<Running> {
  requireServeConfig(config);
  const log = opts.log ?? silentLogger;
  const content = opts.content ?? loadContent();
  if (content.problems.length) throw new Error(`the flows have problems:\n${content.problems.map(formatProblem).join('\n')}`);
  const redis = await connectRedis(config.REDIS_URL!);
  const keys = keyspace(config.REDIS_PREFIX);
  const store = new RedisStore(redis, config.REDIS_PREFIX);
  const service = new ConversationService({ store, content, log, hashSecret: config.HASH_SECRET, effects: opts.effects });
  const inbox = new Inbox({ redis, keys, log, order: (d) => Number(d.id) || 0 });
  const telegram = new TelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN!,
    apiRoot: config.TELEGRAM_API_ROOT,
    secret: config.TELEGRAM_WEBHOOK_SECRET,
    inbox,
    service,
    redis,
    keys,
    log,
    sender: { perChat: config.TELEGRAM_RATE_PER_CHAT, global: config.TELEGRAM_RATE_GLOBAL },
  });
  const webhook = config.TELEGRAM_MODE === 'webhook';
  const app = buildApp({ redis, inbox, telegram: webhook ? telegram : undefined, log });
  const fast: FastRoutes = webhook ? { '/webhooks/telegram': telegram.webhook() } : {};
  const server = createHttpServer(app, fast);
  server.listen(config.PORT, opts.host ?? '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  await inbox.start(async (d) => {
    if (d.channel === TELEGRAM) return telegram.handle(d);
    log.error({ channel: d.channel }, 'delivery for a channel this process does not serve');
  });
  if (config.TELEGRAM_MODE === 'polling') telegram.startPolling();
  else telegram.mode = 'webhook';
  const port = (server.address() as AddressInfo).port;
  log.info({ port, telegram: config.TELEGRAM_MODE }, 'waspada serving');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    telegram,
    inbox,
    /**
     * Stops taking updates (HTTP, polling), finishes the ones in hand, then waits for their replies to
     * be sent, within `drainMs` (Docker gives 10 s between SIGTERM and SIGKILL). Updates not yet taken
     * stay in the inbox for the next process.
     */
    async close(drainMs = 8000) {
      const until = Date.now() + drainMs;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      telegram.stopPolling();
      await inbox.stop(Math.max(0, until - Date.now()));
      await telegram.drain(Math.max(0, until - Date.now()));
      // Keep-alive connections that carried a request while stopping would hold close() open.
      server.closeAllConnections();
      await closed;
      await store.close();
    },
  };
}
