// The inbox: channels put each delivery here (deduplicated, durable in Redis) and answer the platform
// at once; workers take deliveries out, handle them and acknowledge them. A delivery taken by a
// process that died is claimed again by another after a while, so no message is lost.
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../log.js';
import type { Keyspace } from '../store/keys.js';

/** A platform delivery, already turned into our terms by its channel. */
export interface Delivery {
  channel: string;
  /** The platform's id for this delivery (its update or message id): a repeat is dropped. */
  id: string;
  /** Channel-specific, JSON-safe payload. */
  body: unknown;
}

/**
 * ingest: KEYS[1] seen-mark, KEYS[2] stream; ARGV[1] seen ttl s, ARGV[2] channel, ARGV[3] payload JSON.
 * Returns 1 when queued, 0 when this delivery was seen before.
 */
const INGEST = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('XADD', KEYS[2], '*', 'c', ARGV[2], 'b', ARGV[3])
return 1`;

/** ack: KEYS[1] stream; ARGV[1] group, ARGV[2..] entry ids. Acknowledges and removes them. */
const ACK = `
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))`;

/** How long a delivery id is remembered: platforms re-deliver an unanswered update for up to a day. */
const SEEN_TTL_S = 48 * 3600;
const GROUP = 'workers';

type WithIngest = Redis & {
  waspadaIngest(seen: string, stream: string, ttl: number, channel: string, body: string): Promise<number>;
  waspadaAck(stream: string, group: string, ...ids: string[]): Promise<number>;
};

export type DeliveryHandler = (d: Delivery) => Promise<void>;

/**
 * Thrown by a handler that could not do its work for a reason that will pass (Redis away): the delivery
 * is not acknowledged and is handed out again after a pause (by this process, or after `claimAfterMs`
 * by another if this one stops).
 */
export class RetryLater extends Error {}

const RETRY_MAX_MS = 30_000;

export interface InboxOptions {
  redis: Redis;
  keys: Keyspace;
  log?: Logger;
  /** Deliveries handled at once by this process. */
  concurrency?: number;
  /**
   * A delivery unacknowledged this long is taken over from its worker, which must have died: a live
   * worker renews the deliveries it holds every third of this.
   */
  claimAfterMs?: number;
  /** Order deliveries of one read by this key before handing them out (the platform's update sequence). */
  order?: (d: Delivery) => number;
}

export class Inbox {
  private readonly r: WithIngest;
  private readonly keys: Keyspace;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly claimAfterMs: number;
  private readonly order?: (d: Delivery) => number;
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private reader: Redis | null = null;
  private running = false;
  private inflight = 0;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Handled entries waiting to be acknowledged together (one script call per turn of the event loop). */
  private acks: { id: string; done: () => void; fail: (e: Error) => void }[] = [];
  /** Deliveries waiting to be tried again (RetryLater), by their timers. */
  private readonly retries = new Set<NodeJS.Timeout>();
  /** Stream ids of the deliveries this process holds (being handled or waiting for another try). */
  private readonly held = new Set<string>();
  private renewTimer: NodeJS.Timeout | null = null;
  lastError: string | null = null;

  constructor(opts: InboxOptions) {
    opts.redis.defineCommand('waspadaIngest', { numberOfKeys: 2, lua: INGEST });
    opts.redis.defineCommand('waspadaAck', { numberOfKeys: 1, lua: ACK });
    this.r = opts.redis as WithIngest;
    this.keys = opts.keys;
    this.log = opts.log ?? silentLogger;
    this.concurrency = opts.concurrency ?? 64;
    this.claimAfterMs = opts.claimAfterMs ?? 15_000;
    this.order = opts.order;
  }

  /** One Redis round trip: dedupe and queue. Throws when Redis is unreachable (the caller answers 5xx). */
  async ingest(d: Delivery): Promise<'queued' | 'duplicate'> {
    const queued = await this.r.waspadaIngest(this.keys.inboxSeen(d.channel, d.id), this.keys.inbox, SEEN_TTL_S, d.channel, JSON.stringify({ id: d.id, body: d.body }));
    return queued === 1 ? 'queued' : 'duplicate';
  }

  async pending(): Promise<number> {
    const info = (await this.r.xpending(this.keys.inbox, GROUP).catch(() => [0])) as [number, ...unknown[]];
    return Number(info[0] ?? 0);
  }

  private async createGroup(): Promise<void> {
    try {
      await this.r.xgroup('CREATE', this.keys.inbox, GROUP, '0', 'MKSTREAM');
    } catch (e) {
      if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
    }
  }

  async start(handle: DeliveryHandler): Promise<void> {
    await this.createGroup();
    // A blocking read needs a connection of its own.
    this.reader = this.r.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.reader.on('error', (e: Error) => (this.lastError = e.message));
    this.running = true;
    this.renewTimer = setInterval(() => this.renew(), Math.max(50, Math.floor(this.claimAfterMs / 3))).unref();
    this.loop = this.run(handle);
  }

  private async run(handle: DeliveryHandler): Promise<void> {
    let lastClaim = 0;
    while (this.running) {
      try {
        if (this.inflight >= this.concurrency) {
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        const room = this.concurrency - this.inflight;
        let entries: [string, string[]][] = [];
        if (Date.now() - lastClaim > this.claimAfterMs / 2) {
          lastClaim = Date.now();
          const claimed = (await this.r.xautoclaim(this.keys.inbox, GROUP, this.consumer, this.claimAfterMs, '0', 'COUNT', room)) as [string, [string, string[]][]];
          entries = claimed[1].filter((e) => e && e[1]);
        }
        if (!entries.length) {
          const res = (await this.reader!.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', room, 'BLOCK', 1000, 'STREAMS', this.keys.inbox, '>')) as
            | [string, [string, string[]][]][]
            | null;
          entries = res?.[0]?.[1] ?? [];
        }
        this.lastError = null;
        const deliveries = entries.map(([streamId, fields]) => ({ streamId, d: this.decode(fields) }));
        if (this.order) deliveries.sort((a, b) => (a.d && b.d ? this.order!(a.d) - this.order!(b.d) : 0));
        for (const { streamId, d } of deliveries) this.dispatch(streamId, d, handle);
      } catch (e) {
        if (!this.running) break;
        this.lastError = (e as Error).message;
        this.log.warn({ err: this.lastError }, 'inbox read failed; retrying');
        // A Redis that came back empty has lost the group too: make it again.
        if (this.lastError.includes('NOGROUP')) await this.createGroup().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private decode(fields: string[]): Delivery | null {
    try {
      const channel = fields[fields.indexOf('c') + 1]!;
      const { id, body } = JSON.parse(fields[fields.indexOf('b') + 1]!) as { id: string; body: unknown };
      return { channel, id, body };
    } catch {
      return null;
    }
  }

  /** Tells Redis this process still holds its deliveries (resets their idle time), so none is taken over. */
  private renew(): void {
    if (!this.held.size) return;
    this.r.xclaim(this.keys.inbox, GROUP, this.consumer, 0, ...this.held, 'JUSTID').catch((e: Error) => (this.lastError = e.message));
  }

  private dispatch(streamId: string, d: Delivery | null, handle: DeliveryHandler, attempt = 0): void {
    if (attempt === 0) {
      this.inflight++;
      this.held.add(streamId);
    }
    // Acknowledged (and removed) only after it was handled: a crash before this leaves it pending.
    const done = () => this.ack(streamId);
    let retrying = false;
    (d ? handle(d) : Promise.resolve(this.log.error({ streamId }, 'undecodable inbox entry dropped')))
      .then(done, async (e: Error) => {
        if (e instanceof RetryLater && this.running) {
          retrying = true;
          const timer = setTimeout(() => {
            this.retries.delete(timer);
            this.dispatch(streamId, d, handle, attempt + 1);
          }, Math.min(1000 * 2 ** attempt, RETRY_MAX_MS));
          this.retries.add(timer);
          return;
        }
        if (e instanceof RetryLater) return; // stopping: left pending for the next process
        // The handler reports its own failures to the user; an exception here is a bug: log it, do not retry forever.
        this.log.error({ err: e.message, channel: d?.channel }, 'delivery handler failed');
        await done();
      })
      .catch((e: Error) => this.log.error({ err: e.message }, 'could not acknowledge a delivery; it will be claimed again'))
      .finally(() => {
        if (retrying) return;
        this.held.delete(streamId);
        this.inflight--;
        const w = this.wake;
        this.wake = null;
        w?.();
      });
  }

  private ack(id: string): Promise<void> {
    return new Promise((done, fail) => {
      if (this.acks.length === 0) setImmediate(() => void this.flushAcks());
      this.acks.push({ id, done, fail });
    });
  }

  private flushAcks(): Promise<void> {
    const batch = this.acks.splice(0);
    if (!batch.length) return Promise.resolve();
    return this.r.waspadaAck(this.keys.inbox, GROUP, ...batch.map((b) => b.id)).then(
      () => batch.forEach((b) => b.done()),
      (e: Error) => batch.forEach((b) => b.fail(e)),
    );
  }

  /**
   * Stops taking deliveries and waits for the ones in hand, at most `deadlineMs`: what is not done by
   * then stays pending in Redis and another process takes it over.
   */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.running = false;
    this.wake?.();
    this.reader?.disconnect();
    // Deliveries waiting for another try stay pending in Redis; another process takes them over.
    if (this.renewTimer) clearInterval(this.renewTimer);
    for (const t of this.retries) clearTimeout(t);
    this.inflight -= this.retries.size;
    this.retries.clear();
    await this.loop?.catch(() => undefined);
    const until = Date.now() + deadlineMs;
    while (this.inflight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await this.flushAcks();
  }
}
