// Starts a whole Waspada process: Redis, content, the conversation service, the inbox worker, the
// outbox, the channels a deployment asked for, HTTP.
import type { AddressInfo } from 'node:net';
import { AgencyRegistry } from './agencies/registry.js';
import type { BroadcastParts } from './broadcast/index.js';
import { RedisSubscribers } from './broadcast/subscribers.js';
import { subscriberTimeZone } from './broadcast/zones.js';
import type { Channel, Routes } from './channels/port.js';
import { redisTarget, requireServeConfig, type Config } from './config.js';
import { loadContent, type Content } from './content/index.js';
import type { EffectHandler } from './conversation/effects.js';
import { Inbox, NotMine, RetryLater, type Delivery, type DirectContext } from './conversation/inbox.js';
import { ConversationService, type Inbound } from './conversation/service.js';
import { HotlineService } from './hotline/service.js';
import { DuplicateIndex } from './hotline/duplicates.js';
import { formatProblem } from './engine/flow.js';
import { langFromHint } from './engine/intents.js';
import { silentLogger, userRef, type Logger } from './log.js';
import { PictureReader } from './ocr/index.js';
import { RedisOutbox, type OutboxHooks } from './outbox/outbox.js';
import { PromMetrics } from './ops/prometheus.js';
import { RedisRecipients } from './outbox/recipients.js';
import { safetySwitch } from './conversation/safety.js';
import { ENQUEUE_ALSO } from './outbox/scripts.js';
import { buildApp, createHttpServer } from './server.js';
import { Metrics } from './staff/metrics.js';
import { CampaignAudit } from './staff/audit.js';
import { StaffAccounts } from './staff/accounts.js';
import { StaffTokens } from './staff/tokens.js';
import { DataCipher } from './store/cipher.js';
import { startAofRewrites, type AofRewrites } from './store/maintenance.js';
import { keyspace } from './store/keys.js';
import { connectRedis, isCluster } from './store/connection.js';
import { RedisStore } from './store/redis.js';

export interface Running {
  url: string;
  port: number;
  channels: ReadonlyMap<string, Channel>;
  inbox: Inbox;
  outbox: RedisOutbox;
  service: ConversationService;
  /** Reads the text of pictures people send (OCR workers, started with the first picture). */
  pictures: PictureReader;
  hotline: HotlineService;
  /** Alert subscriptions (sealed, under keyed references). */
  subscribers: RedisSubscribers;
  /** The imported list of licensed placement agencies (npm run agencies -- import FILE). */
  agencies: AgencyRegistry;
  /** The staff API's bearer tokens. */
  tokens: StaffTokens;
  /** The staff dashboard's daily counters. */
  metrics: Metrics;
  rewrites: AofRewrites;
  close(drainMs?: number): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  content?: Content;
  /** Effects in place of the standard ones (tests). */
  effects?: Record<string, EffectHandler>;
  /** Points where tests stop the process (kill -9). */
  outboxHooks?: OutboxHooks;
  /** How long a dead process's message (outbox) and delivery (inbox) wait to be taken over (tests shorten it). */
  outboxLeaseMs?: number;
  inboxClaimAfterMs?: number;
  host?: string;
  /** Run campaigns in this process too (default: yes, as `npm start` does). */
  campaigns?: boolean;
}

/** How often one person is told at most, directly, that Waspada is having a problem (Redis away). */
const NOTICE_EVERY_MS = 10 * 60_000;

export async function startWaspada(config: Config, opts: StartOptions = {}): Promise<Running> {
  const modules = requireServeConfig(config);
  const log = opts.log ?? silentLogger;
  const content = opts.content ?? loadContent();
  if (content.problems.length) throw new Error(`the flows have problems:\n${content.problems.map(formatProblem).join('\n')}`);
  const target = redisTarget(config)!;
  const redis = await connectRedis(target);
  const keys = keyspace(config.REDIS_PREFIX);
  const cipher = DataCipher.fromConfig(config.DATA_ENCRYPTION_KEY!, config.DATA_ENCRYPTION_KEYS_OLD);
  const store = new RedisStore(redis, config.REDIS_PREFIX, cipher);
  const recipients = new RedisRecipients(redis, keys);
  const channels = new Map<string, Channel>();
  // /metrics: counts of this process (fed by the hook points below), and what Redis holds when scraped.
  const prometheus = new PromMetrics({ channels: modules.map((m) => m.name), log, casesRefreshMs: config.METRICS_CASES_REFRESH_SECONDS * 1000 });
  const inbox = new Inbox({ redis, keys, cipher, hashSecret: config.HASH_SECRET, log, claimAfterMs: opts.inboxClaimAfterMs, order: (d) => channels.get(d.channel)?.order?.(d) ?? 0 });
  for (const m of modules) channels.set(m.name, m.create({ settings: config, inbox, recipients, log, redis, keys }));
  const outbox = new RedisOutbox({
    redis,
    keys,
    channels: [...channels.values()],
    render: (lang, reply) => content.renderer.reply(lang, reply),
    cipher,
    recipients,
    log,
    maxAgeMs: config.OUTBOX_MAX_AGE_HOURS * 3600_000,
    leaseMs: opts.outboxLeaseMs,
    hooks: opts.outboxHooks,
    observe: prometheus.sends,
  });
  const subscribers = new RedisSubscribers(redis, keys, cipher, config.HASH_SECRET!);
  const metrics = new Metrics({ redis, keys, hashSecret: config.HASH_SECRET!, subscribers, log });
  // The dashboard's hook points count for /metrics too.
  const recorder = prometheus.alongside(metrics);
  const hotline = new HotlineService({
    store: store.cases,
    hashSecret: config.HASH_SECRET!,
    outbox,
    partners: content.data.partners,
    claimMs: config.HOTLINE_CLAIM_MINUTES * 60_000,
    pushesFinal: true,
    metrics: recorder,
    log,
    // Duplicate reports are indexed as cases open; linked ones share what their families see.
    duplicates: new DuplicateIndex(redis, config.REDIS_PREFIX, config.HASH_SECRET!),
    regions: content.data.regions,
    indicators: content.data.indicators,
    // Staff can switch safety mode on for a case's reporter.
    safety: safetySwitch(recipients, store.sessions),
  });
  const agencies = new AgencyRegistry(redis, keys);
  // A turn's replies are queued in the script that saves its session (on one Redis: not on a Cluster,
  // where the service queues them, then saves): that command is made now.
  store.sessions.defineAlso?.(ENQUEUE_ALSO);
  // Reads pictures' text; its workers start with the first picture.
  const pictures = new PictureReader({ workers: config.OCR_WORKERS, queue: config.OCR_QUEUE, timeoutMs: config.OCR_TIMEOUT_SECONDS * 1000, langDir: config.OCR_LANG_DIR });
  const service = new ConversationService({
    pictures,
    sessions: store.sessions,
    recruiters: store.recruiters,
    recipients,
    content,
    log,
    hashSecret: config.HASH_SECRET,
    effects: opts.effects,
    outbox,
    hotline,
    subscribers,
    agencies,
    metrics: recorder,
  });
  prometheus.readFrom({ redis, outbox, cases: hotline.store });

  // Redis away: the answer cannot be queued. The person is told directly (once per message, at most
  // once in ten minutes; not waited for) and the message stays in the inbox, to be answered once Redis
  // is back.
  const noticed = new Map<string, number>();
  function unavailable(channel: Channel, user: string, messageId: string, lang: string | null | undefined): void {
    const now = Date.now();
    for (const [k, at] of noticed) if (now - at > NOTICE_EVERY_MS) noticed.delete(k);
    const who = `${channel.name}:${user}`;
    if (noticed.has(who) || noticed.has(`${who}:${messageId}`)) return;
    noticed.set(who, now);
    noticed.set(`${who}:${messageId}`, now);
    const text = content.texts.t(langFromHint(lang) ?? 'id', 'conversation.delayed');
    void channel.notify(user, text).then((ok) => {
      if (!ok) log.warn({ channel: channel.name, user: userRef(who) }, 'could not send the delay notice');
    });
  }

  /**
   * Handles one delivery: from the inbox, or straight from its webhook (`direct`; see Inbox.direct).
   */
  async function converse(d: Delivery, direct?: DirectContext): Promise<'handled' | 'duplicate' | 'flooding'> {
    const channel = channels.get(d.channel);
    if (!channel) throw new NotMine(d.channel);
    const inbound = await channel.inbound(d);
    if (!inbound) return 'handled';
    if (d.flood) {
      await floodWarning(channel, inbound, d.id);
      channel.taken?.(d);
      return 'flooding';
    }
    // Marked handled apart from the session too: the platform or the inbox may bring it again after the
    // session was erased ("delete my data"), or many messages later.
    // One straight from a webhook waits behind the person's messages in the inbox (put there by any process).
    const handled = await service.handle(inbound, { count: direct?.count, mark: inbox.deliveryRef(d.channel, d.id), behind: direct !== undefined });
    if (handled.over) {
      if (handled.over === 'warn') await floodWarning(channel, inbound, d.id);
      channel.taken?.(d);
      return 'flooding';
    }
    if (!handled.ok) prometheus.failed(channel.name, handled);
    // "Your message is saved and will be answered": only once it is (a direct one not stored yet is
    // stored after this, or refused with a 5xx and delivered again).
    if (handled.unavailable && (!direct || direct.stored())) unavailable(channel, inbound.userId, inbound.messageId, inbound.langHint);
    if (handled.retry) throw new RetryLater(handled.unavailable ? 'redis unavailable' : 'handle again');
    if (handled.duplicate) return 'duplicate';
    channel.taken?.(d);
    return 'handled';
  }

  /** One message too many: not handled; one polite warning (the sender is silenced for a while). */
  async function floodWarning(channel: Channel, inbound: Inbound, id: string): Promise<void> {
    const reply = { say: [{ key: 'conversation.flood' }] };
    // Its key holds the delivery's keyed reference: a platform's message id may hold the sender's number.
    const key = `flood:${inbox.deliveryRef(channel.name, id)}`;
    await outbox.deliver({ channel: channel.name, user: inbound.userId }, [{ lang: langFromHint(inbound.langHint) ?? 'id', reply }], { key, inReplyTo: true });
  }

  const routes: Routes = Object.assign({}, ...[...channels.values()].map((c) => prometheus.routes(c.name, c.routes())));
  const tokens = new StaffTokens(redis, config.REDIS_PREFIX);
  // Campaigns: built after the server listens (BullMQ is not needed to answer a webhook), and run here
  // too unless asked not to; the staff API's campaign routes wait for them.
  let broadcast: Promise<BroadcastParts> | null = null;
  const broadcastParts = () =>
    (broadcast ??= import('./broadcast/index.js').then(({ buildBroadcast }) =>
      buildBroadcast({
        redis, redisTarget: target, keys, cipher, hashSecret: config.HASH_SECRET!, outbox, log, subscribers,
        worker: opts.campaigns ?? true, quietHours: config.BROADCAST_QUIET_HOURS,
        timeZone: (s) => subscriberTimeZone(content.data, s),
      }),
    ));
  const campaignAudit = new CampaignAudit(redis, config.REDIS_PREFIX, config.HASH_SECRET!);
  const campaignApi = async () => ({ ...(await broadcastParts()), channels: [...channels.keys()], audit: campaignAudit });
  const app = buildApp({ redis, inbox, outbox, channels, log, hotline, tokens, broadcast: campaignApi, pictures, metrics, console: { accounts: new StaffAccounts(redis, config.REDIS_PREFIX), prefix: config.REDIS_PREFIX, publicUrl: config.STAFF_CONSOLE_URL }, trustProxy: config.TRUST_PROXY, prometheus: { metrics: prometheus, token: config.METRICS_TOKEN } });
  const server = createHttpServer(app, routes);
  server.listen(config.PORT, opts.host ?? '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  // A platform sends a whole update at once: a request still arriving after this is cut off.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await inbox.start(converse);
  // Messages from webhooks are handled before the platform is answered, where they can be (see Inbox.direct).
  // Not on a Cluster: there the handled-marks that recognise a message brought again cannot be read
  // with the person's keys (another slot), and only the inbox's own marks do.
  if (config.DIRECT_HANDLING && !isCluster(redis)) inbox.direct(converse);
  const rewrites = startAofRewrites(redis, keys, config.AOF_REWRITE_MIN_INTERVAL_MINUTES * 60_000, log);
  // Claims nobody acted on go back to the queue; closed cases past their retention lose personal fields.
  const upkeep = () => {
    hotline.store.returnExpired(Date.now()).catch((e: Error) => log.warn({ err: e.message }, 'could not return expired claims'));
    hotline.purgeClosed(config.CASE_RETENTION_DAYS).then(
      (n) => n && log.info({ cases: n }, 'personal fields of closed cases removed after retention'),
      (e: Error) => log.warn({ err: e.message }, 'could not apply the case retention'),
    );
  };
  const upkeepTimer = setInterval(upkeep, 60_000).unref();
  upkeep();
  // Status messages staff changes left for families (from the CLI, or a process that stopped): to the outbox.
  const pushTimer = setInterval(() => {
    hotline.deliverPushes().catch((e: Error) => log.warn({ err: e.message }, 'could not hand status messages to the outbox; retrying'));
  }, 2000).unref();
  await outbox.start();
  for (const c of channels.values()) await c.start?.();
  if (opts.campaigns ?? true) void broadcastParts().catch((e: Error) => log.error({ err: e.message }, 'could not start the campaign worker'));
  const port = (server.address() as AddressInfo).port;
  log.info({ port, channels: Object.fromEntries([...channels].map(([n, c]) => [n, c.health()])) }, 'waspada serving');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    channels,
    inbox,
    outbox,
    service,
    pictures,
    hotline,
    subscribers,
    agencies,
    tokens,
    metrics,
    rewrites,
    /**
     * Stops taking updates (HTTP, polling), finishes the ones in hand, then keeps sending what is due,
     * all within `drainMs` (Docker gives 10 s between SIGTERM and SIGKILL). Updates not yet taken stay
     * in the inbox and messages not yet sent stay in the outbox, for the next process.
     */
    async close(drainMs = 8000) {
      const until = Date.now() + drainMs;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const c of channels.values()) await c.stop?.();
      rewrites.stop();
      await (await broadcast?.catch(() => null))?.close();
      clearInterval(upkeepTimer);
      clearInterval(pushTimer);
      await inbox.stop(Math.max(0, until - Date.now()));
      await outbox.stop(Math.max(0, until - Date.now()));
      await pictures.close();
      await metrics.close();
      // Keep-alive connections that carried a request while stopping would hold close() open.
      server.closeAllConnections();
      await closed;
      await store.close();
    },
  };
}
