// `npm run worker`: the background work alone, without the web server: campaigns (BullMQ) and the
// outbox's senders for every channel that can send from any process. `npm start` runs the same work
// beside the web server; run more workers for big campaigns (they share the limits through Redis).
import type { Config } from './config.js';
import { requireServeConfig } from './config.js';
import { loadContent, type Content } from './content/index.js';
import { buildBroadcast, type BroadcastParts } from './broadcast/index.js';
import type { Channel } from './channels/port.js';
import { Inbox } from './conversation/inbox.js';
import { silentLogger, type Logger } from './log.js';
import { RedisOutbox } from './outbox/outbox.js';
import { RedisRecipients } from './outbox/recipients.js';
import { DataCipher } from './store/cipher.js';
import { keyspace } from './store/keys.js';
import { connectRedis } from './store/redis.js';
import { subscriberTimeZone } from './broadcast/zones.js';

export interface RunningWorker {
  broadcast: BroadcastParts;
  outbox: RedisOutbox;
  close(drainMs?: number): Promise<void>;
}

export async function startWorker(config: Config, opts: { log?: Logger; content?: Content } = {}): Promise<RunningWorker> {
  const modules = requireServeConfig(config);
  const log = opts.log ?? silentLogger;
  const content = opts.content ?? loadContent();
  const redis = await connectRedis(config.REDIS_URL!);
  const keys = keyspace(config.REDIS_PREFIX);
  const cipher = DataCipher.fromConfig(config.DATA_ENCRYPTION_KEY!, config.DATA_ENCRYPTION_KEYS_OLD);
  const recipients = new RedisRecipients(redis, keys);
  // The channels are built (to render and send) but not started: no webhooks, no linked phone here.
  const inbox = new Inbox({ redis, keys, cipher, hashSecret: config.HASH_SECRET, log });
  const channels: Channel[] = modules.map((m) => m.create({ settings: config, inbox, recipients, log, redis, keys }));
  const outbox = new RedisOutbox({
    redis, keys, channels, cipher, recipients, log,
    render: (lang, reply) => content.renderer.reply(lang, reply),
    maxAgeMs: config.OUTBOX_MAX_AGE_HOURS * 3600_000,
  });
  const broadcast = buildBroadcast({
    redis, redisUrl: config.REDIS_URL!, keys, cipher, hashSecret: config.HASH_SECRET!, outbox, log, worker: true,
    timeZone: (s) => subscriberTimeZone(content.data, s),
    quietHours: config.BROADCAST_QUIET_HOURS,
  });
  const local = new Set(channels.filter((c) => c.sendsOnlyWhenStarted).map((c) => c.name));
  await outbox.start((name) => !local.has(name));
  log.info({ channels: channels.map((c) => c.name).filter((n) => !local.has(n)) }, 'waspada worker running');
  return {
    broadcast,
    outbox,
    async close(drainMs = 8000) {
      const until = Date.now() + drainMs;
      await broadcast.close();
      await outbox.stop(Math.max(0, until - Date.now()));
      redis.disconnect();
    },
  };
}
