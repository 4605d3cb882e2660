// `npm run worker`: the background work alone, without the web server: campaigns (BullMQ) and the
// outbox's senders for every channel that can send from any process. `npm start` runs the same work
// beside the web server; run more workers for big campaigns (they share the limits through Redis).
// With METRICS_PORT, it answers /metrics (what it sent, campaigns' 429s included) and /healthz there.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Config } from './config.js';
import { redisTarget, requireServeConfig } from './config.js';
import { loadContent, type Content } from './content/index.js';
import { buildBroadcast, type BroadcastParts } from './broadcast/index.js';
import type { Channel } from './channels/port.js';
import { Inbox } from './conversation/inbox.js';
import { silentLogger, type Logger } from './log.js';
import { RedisOutbox } from './outbox/outbox.js';
import { PromMetrics } from './ops/prometheus.js';
import { RedisRecipients } from './outbox/recipients.js';
import { DataCipher } from './store/cipher.js';
import { keyspace } from './store/keys.js';
import { connectRedis } from './store/connection.js';
import { subscriberTimeZone } from './broadcast/zones.js';

export interface RunningWorker {
  broadcast: BroadcastParts;
  outbox: RedisOutbox;
  /** Where /metrics and /healthz are served (METRICS_PORT), if they are. */
  metricsUrl: string | null;
  close(drainMs?: number): Promise<void>;
}

export async function startWorker(config: Config, opts: { log?: Logger; content?: Content } = {}): Promise<RunningWorker> {
  const modules = requireServeConfig(config);
  const log = opts.log ?? silentLogger;
  const content = opts.content ?? loadContent();
  const target = redisTarget(config)!;
  const redis = await connectRedis(target);
  const keys = keyspace(config.REDIS_PREFIX);
  const cipher = DataCipher.fromConfig(config.DATA_ENCRYPTION_KEY!, config.DATA_ENCRYPTION_KEYS_OLD);
  const recipients = new RedisRecipients(redis, keys);
  // The channels are built (to render and send) but not started: no webhooks, no linked phone here.
  const inbox = new Inbox({ redis, keys, cipher, hashSecret: config.HASH_SECRET, log });
  const channels: Channel[] = modules.map((m) => m.create({ settings: config, inbox, recipients, log, redis, keys }));
  const prometheus = new PromMetrics({ channels: channels.map((c) => c.name), log });
  const outbox = new RedisOutbox({
    redis, keys, channels, cipher, recipients, log,
    render: (lang, reply) => content.renderer.reply(lang, reply),
    maxAgeMs: config.OUTBOX_MAX_AGE_HOURS * 3600_000,
    observe: prometheus.sends,
  });
  prometheus.readFrom({ redis, outbox });
  const broadcast = buildBroadcast({
    redis, redisTarget: target, keys, cipher, hashSecret: config.HASH_SECRET!, outbox, log, worker: true,
    timeZone: (s) => subscriberTimeZone(content.data, s),
    quietHours: config.BROADCAST_QUIET_HOURS,
  });
  const local = new Set(channels.filter((c) => c.sendsOnlyWhenStarted).map((c) => c.name));
  await outbox.start((name) => !local.has(name));
  let server: Server | null = null;
  if (config.METRICS_PORT !== undefined) {
    const { createOpsServer } = await import('./server.js');
    server = createOpsServer({ redis, inbox, outbox, channels: new Map(channels.map((c) => [c.name, c])), log, prometheus: { metrics: prometheus, token: config.METRICS_TOKEN } });
    const listening = server;
    await new Promise<void>((resolve, reject) => listening.once('listening', resolve).once('error', reject).listen(config.METRICS_PORT, '0.0.0.0'));
  }
  const metricsPort = server ? (server.address() as AddressInfo).port : null;
  log.info({ channels: channels.map((c) => c.name).filter((n) => !local.has(n)), metricsPort }, 'waspada worker running');
  return {
    broadcast,
    outbox,
    metricsUrl: metricsPort === null ? null : `http://127.0.0.1:${metricsPort}`,
    async close(drainMs = 8000) {
      const until = Date.now() + drainMs;
      server?.closeAllConnections();
      server?.close();
      await broadcast.close();
      await outbox.stop(Math.max(0, until - Date.now()));
      redis.disconnect();
    },
  };
}
