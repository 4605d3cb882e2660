// The inbox: channels put each delivery here (deduplicated, durable in Redis) and answer the platform
// at once; workers take deliveries out, handle them and acknowledge them. A delivery taken by a
// process that died is claimed again by another after a while, so no message is lost. A message that
// may be a plea for help goes into a fast lane, read before the rest: during a burst of thousands it
// does not wait its turn.
import { createHmac, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { duplicateConnection, type RedisClient } from '../store/connection.js';
import { mightBeUrgent } from '../engine/intents.js';
import { silentLogger, type Logger } from '../log.js';
import type { DataCipher } from '../store/cipher.js';
import type { Keyspace } from '../store/keys.js';
import { withTimeout } from '../timeout.js';

/**
 * How long one read of the inbox waits for new entries (at most half the time after which a dead
 * worker's deliveries are taken over, so that look is not delayed). Redis answers at once when one
 * arrives, and stop() disconnects the reading connection, so a long wait delays nothing; each wait that
 * ends empty is a round trip (every second before, 0.2 a second now).
 */
const READ_BLOCK_MS = 5000;

/** A platform delivery, already turned into our terms by its channel. */
export interface Delivery {
  channel: string;
  /** The platform's id for this delivery (its update or message id): a repeat is dropped. */
  id: string;
  /** Channel-specific, JSON-safe payload. */
  body: unknown;
  /** One message too many from its sender (the flood limit): it is not handled; they get one warning. */
  flood?: boolean;
}

/** Per sender: at most `limit` messages in `windowS` seconds; past it, one warning, then `silenceS` of silence. */
export interface FloodLimit {
  limit: number;
  windowS: number;
  silenceS: number;
}
export const DEFAULT_FLOOD: FloodLimit = { limit: 30, windowS: 10, silenceS: 60 };

/**
 * ingest: KEYS[1] seen-mark, KEYS[2] stream, KEYS[3] the sender's flood count, KEYS[4] the sender's
 * inbox hold (KEYS[2] again when none: see keys.inboxHold); ARGV[1] seen ttl s, ARGV[2] channel,
 * ARGV[3] sealed payload, ARGV[4] most messages in a window (0: no limit), ARGV[5] window s, ARGV[6]
 * silence s, ARGV[7] how long the hold lasts ms.
 * Returns the new entry's id when queued, 0 when this delivery was seen before, 2 when it was one too many (queued
 * marked as such, for one warning; the count then lives for the silence), 3 when the sender is
 * silenced (dropped). One key per sender: the count itself is the silence.
 */
const INGEST = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local limit = tonumber(ARGV[4])
if limit > 0 then
  local n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('EXPIRE', KEYS[3], ARGV[5]) end
  if n > limit + 1 then return 3 end
  if n == limit + 1 then
    redis.call('EXPIRE', KEYS[3], ARGV[6])
    redis.call('XADD', KEYS[2], '*', 'c', ARGV[2], 'b', ARGV[3], 'f', '1')
    return 2
  end
end
if KEYS[4] ~= KEYS[2] then redis.call('SET', KEYS[4], '1', 'PX', ARGV[7]) end
return redis.call('XADD', KEYS[2], '*', 'c', ARGV[2], 'b', ARGV[3])`;

/** ack: KEYS[1] stream; ARGV[1] group, ARGV[2..] entry ids. Acknowledges and removes them. */
const ACK = `
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))`;

/**
 * renew: KEYS[1] stream; ARGV[1] group, ARGV[2] consumer, ARGV[3..] entry ids. Resets the idle time of
 * the entries this consumer still owns (one another worker took over after a stall stays theirs).
 */
const RENEW = `
local n = 0
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if #p > 0 then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    n = n + 1
  end
end
return n`;

/** How long a delivery id is remembered: platforms re-deliver an unanswered update for up to a day. */
const SEEN_TTL_S = 48 * 3600;
const GROUP = 'workers';

type WithIngest = RedisClient & {
  waspadaIngest(
    seen: string, stream: string, flood: string, hold: string,
    seenTtl: number, channel: string, sealed: string, limit: number, windowS: number, silenceS: number, holdMs: number,
  ): Promise<number | string>;
  waspadaAck(stream: string, group: string, ...ids: string[]): Promise<number>;
  waspadaRenew(stream: string, group: string, consumer: string, ...ids: string[]): Promise<number>;
};

export type DeliveryHandler = (d: Delivery) => Promise<unknown>;

/** What a direct handler is told besides the delivery. */
export interface DirectContext {
  /** The flood limit to count the delivery against as it is taken (absent: not counted). */
  count?: FloodLimit;
  /**
   * Whether the delivery is also in the inbox by now (its handling took too long, so it was stored
   * and the platform answered): then, should this handling fail, the inbox has it to handle again.
   */
  stored(): boolean;
}

/**
 * Handles a delivery straight from its webhook, before the platform is answered (see Inbox.direct).
 * Throws RetryLater when it could not be handled now: then it goes into the inbox.
 */
export type DirectHandler = (d: Delivery, ctx: DirectContext) => Promise<'handled' | 'duplicate' | 'flooding'>;

/** Who a delivery is from and how it may be taken (see Inbox.ingest). */
export interface DeliveryFrom {
  /** The sender, on the platform. */
  user?: string;
  /** What they wrote, if anything: decides the fast lane. */
  text?: string;
  /** Counted towards the sender's flood limit (default: when a sender is named). */
  count?: boolean;
  /**
   * May be handled at once, before the platform is answered: the platform delivers it again if it is
   * not answered (a webhook), and handling it takes milliseconds (not a picture to read).
   */
  direct?: boolean;
}

/**
 * Thrown by a handler that could not do its work for a reason that will pass (Redis away): the delivery
 * is not acknowledged and is handed out again after a pause (by this process, or after `claimAfterMs`
 * by another if this one stops).
 */
export class RetryLater extends Error {}

/**
 * Thrown by a handler for a delivery this process cannot handle (a channel it does not serve, during
 * a rolling deploy): left unacknowledged and not renewed, so a process that can takes it over.
 */
export class NotMine extends Error {}

const RETRY_MAX_MS = 30_000;
/** How many stored deliveries are kept in memory until read back (a read takes at most the concurrency). */
const STORED_KEPT = 4096;
/** How many senders' keyed references are kept. */
const SENDERS_KEPT = 10_000;
/** How long handled deliveries are gathered before they are acknowledged in one call. */
const ACK_BATCH_MS = 5;
/** Deliveries handled at once from webhooks by this process; past that, they go into the inbox. */
const DIRECT_MAX = 128;
/**
 * Longest a platform waits for its answer while a delivery is handled directly: past it, the delivery
 * is stored in the inbox too and the platform answered (the handling goes on; the session recognises
 * the stored copy as handled, or handles it if this handling fails).
 */
const DIRECT_WAIT_MS = 1000;
/** A sender with a delivery put into the inbox has the next ones put there too for this long (their order). */
const QUEUED_HOLD_MS = 30_000;

export interface InboxOptions {
  redis: RedisClient;
  keys: Keyspace;
  /** Seals each delivery before it is stored: what people write is never in Redis in clear. */
  cipher: DataCipher;
  /** Flood limit per sender (0 limit: none). */
  flood?: FloodLimit;
  /** Keys the hash under which a sender is counted (every process must share it: HASH_SECRET). */
  hashSecret?: string;
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
  /** Longest a delivery handled directly keeps its platform waiting (see DIRECT_WAIT_MS). */
  directWaitMs?: number;
}

export class Inbox {
  private readonly r: WithIngest;
  private readonly keys: Keyspace;
  private readonly cipher: DataCipher;
  private readonly flood: FloodLimit;
  private readonly secret: string;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly claimAfterMs: number;
  private readonly readBlockMs: number;
  private readonly order?: (d: Delivery) => number;
  private readonly directWaitMs: number;
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private reader: RedisClient | null = null;
  private running = false;
  private inflight = 0;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Settles (with null) when stop is called: what the read loop waits on in Redis is given up then. */
  private halted: Promise<null> = new Promise(() => undefined);
  private halt: () => void = () => undefined;
  /** Handled entries waiting to be acknowledged together (one script call per turn of the event loop). */
  private acks: { stream: string; id: string; done: () => void; fail: (e: Error) => void }[] = [];
  /** Deliveries waiting to be tried again (RetryLater), by their timers. */
  private readonly retries = new Map<NodeJS.Timeout, () => void>();
  /** Runs the deliveries waiting for another try at once when Redis is back (see start). */
  private readonly onReady = () => this.retryNow();
  /** The fast lane first. */
  private readonly streams: readonly string[];
  /** Stream ids of the deliveries this process holds (being handled or waiting for another try), per stream. */
  private readonly held = new Map<string, Set<string>>();
  private renewTimer: NodeJS.Timeout | null = null;
  /**
   * Deliveries this process stored, by stream id, until its workers read them back: those need not
   * be opened and parsed again (most are read back by the process that stored them). Bounded.
   */
  private readonly stored = new Map<string, Delivery>();
  /** Keyed references of recent senders (one keyed hash per sender, not per message). Bounded. */
  private readonly senders = new Map<string, string>();
  private directHandler: DirectHandler | null = null;
  private directMax = DIRECT_MAX;
  /** Deliveries being handled straight from webhooks (how many, and their handling, waited for when the inbox stops). */
  private readonly directWork = new Set<Promise<void>>();
  /** Senders (channel:user) with a delivery put into the inbox lately, until when: theirs go there too. Bounded. */
  private readonly queuedFrom = new Map<string, number>();
  lastError: string | null = null;

  constructor(opts: InboxOptions) {
    opts.redis.defineCommand('waspadaIngest', { numberOfKeys: 4, lua: INGEST });
    opts.redis.defineCommand('waspadaAck', { numberOfKeys: 1, lua: ACK });
    opts.redis.defineCommand('waspadaRenew', { numberOfKeys: 1, lua: RENEW });
    this.r = opts.redis as WithIngest;
    this.keys = opts.keys;
    this.cipher = opts.cipher;
    this.flood = opts.flood ?? DEFAULT_FLOOD;
    // Without a shared secret, counts are still right within one process (tests, the demo).
    this.secret = opts.hashSecret ?? randomBytes(32).toString('base64');
    this.log = opts.log ?? silentLogger;
    this.concurrency = opts.concurrency ?? 64;
    this.claimAfterMs = opts.claimAfterMs ?? 15_000;
    this.readBlockMs = Math.max(10, Math.min(READ_BLOCK_MS, Math.floor(this.claimAfterMs / 2)));
    this.order = opts.order;
    this.directWaitMs = opts.directWaitMs ?? DIRECT_WAIT_MS;
    this.streams = [opts.keys.inboxUrgent, opts.keys.inbox];
    for (const s of this.streams) this.held.set(s, new Set());
  }

  /**
   * Deliveries a channel marks `direct` are handled at once by `handler` (at most `max` at a time),
   * and the platform answered after: no inbox round trips. Nothing is lost: a delivery not handled
   * (the process died) is not answered, so the platform delivers it again; one handled twice is
   * recognised by the session. What cannot be handled now goes into the inbox; so do a sender's
   * deliveries for a while after one of theirs went there, so that theirs are handled in order.
   */
  direct(handler: DirectHandler, max = DIRECT_MAX): void {
    this.directHandler = handler;
    this.directMax = max;
  }

  /**
   * Takes a delivery: handles it at once (see direct), or in one Redis round trip dedupes and queues
   * it. `text` (what the person wrote, if anything) decides the lane. Throws when Redis is unreachable
   * (the caller answers 5xx).
   */
  async ingest(d: Delivery, from: DeliveryFrom = {}): Promise<'queued' | 'duplicate' | 'flooding' | 'handled'> {
    const urgent = Boolean(from.text && mightBeUrgent(from.text));
    // A plea is never held back by the flood limit; neither is a delivery that names no sender.
    const countable = !urgent && Boolean(from.user) && from.count !== false && this.flood.limit > 0;
    const sender = from.user ? `${d.channel}:${from.user}` : null;
    let stored = false;
    let counted = countable;
    const handler = this.directHandler;
    if (from.direct && handler && this.running && this.directWork.size < this.directMax && sender && !this.queuedLately(sender)) {
      const ctx: DirectContext = { ...(countable ? { count: this.flood } : {}), stored: () => stored };
      const work = Promise.resolve().then(() => handler(d, ctx));
      const tracked = work.then(() => undefined, () => undefined).finally(() => this.directWork.delete(tracked));
      this.directWork.add(tracked);
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<'slow'>((r) => (timer = setTimeout(() => r('slow'), this.directWaitMs)));
      const first = await Promise.race([work, slow]).catch((e: Error) => e).finally(() => clearTimeout(timer));
      if (typeof first === 'string' && first !== 'slow') return first;
      if (first === 'slow') {
        // Still working: stored too (below), so that the platform is answered and nothing is lost if
        // this process dies; what becomes of this handling is only logged. Counted by that turn (when
        // it is saved), not again in the inbox.
        counted = false;
        work.catch((e: Error) => {
          if (!(e instanceof RetryLater)) this.log.error({ err: e.message, channel: d.channel }, 'delivery handler failed');
        });
      } else if (!(first instanceof RetryLater)) {
        // The handler tells the person of its own failures; an exception here is a bug: log it, do not retry forever.
        this.log.error({ err: (first as Error).message, channel: d.channel }, 'delivery handler failed');
        return 'handled';
      }
      // Not handled now (Redis away, the person's lock held elsewhere, this process stopping): into the inbox.
    }
    if (sender && this.directHandler) {
      if (this.queuedFrom.size >= SENDERS_KEPT) this.queuedFrom.delete(this.queuedFrom.keys().next().value!);
      this.queuedFrom.delete(sender);
      this.queuedFrom.set(sender, Date.now() + QUEUED_HOLD_MS);
    }
    const stream = urgent ? this.keys.inboxUrgent : this.keys.inbox;
    const who = counted ? this.keys.inboxFlood(d.channel, this.senderRef(from.user!)) : null;
    const sealed = this.cipher.seal(JSON.stringify({ id: d.id, body: d.body }));
    // Without a sender to count the script leaves KEYS[3] alone: the stream stands in for it.
    // With direct handling, the sender's next messages wait behind this one, in every process (see
    // keys.inboxHold). Its key is in the sender's slot: direct handling is for one Redis only.
    const hold = sender && this.directHandler ? this.keys.inboxHold(sender) : stream;
    const outcome = await this.r.waspadaIngest(
      this.keys.inboxSeen(d.channel, this.deliveryRef(d.channel, d.id)), stream, who ?? stream, hold,
      SEEN_TTL_S, d.channel, sealed, who ? this.flood.limit : 0, this.flood.windowS, this.flood.silenceS, QUEUED_HOLD_MS,
    );
    // Queued: the script answers with the entry's id.
    if (typeof outcome === 'string') {
      stored = true;
      if (this.stored.size >= STORED_KEPT) this.stored.delete(this.stored.keys().next().value!);
      this.stored.set(outcome, { channel: d.channel, id: d.id, body: d.body });
      return 'queued';
    }
    return outcome === 0 ? 'duplicate' : 'flooding';
  }

  private queuedLately(sender: string): boolean {
    const until = this.queuedFrom.get(sender);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.queuedFrom.delete(sender);
    return false;
  }

  /**
   * A delivery as the keys about it know it (its seen-mark, its handled-mark, its flood warning): a
   * keyed hash, since a platform's id may hold the sender's number (a WhatsApp wamid does).
   */
  deliveryRef(channel: string, id: string): string {
    return createHmac('sha256', this.secret).update(`${channel}:${id}`).digest('base64url').slice(0, 22);
  }

  /** A sender as the flood keys know them: a keyed hash, so no key names the person. */
  private senderRef(user: string): string {
    let ref = this.senders.get(user);
    if (ref === undefined) {
      ref = createHmac('sha256', this.secret).update(user).digest('base64url').slice(0, 16);
      if (this.senders.size >= SENDERS_KEPT) this.senders.delete(this.senders.keys().next().value!);
      this.senders.set(user, ref);
    }
    return ref;
  }

  /** Deliveries taken by a worker and not yet acknowledged. */
  async pending(): Promise<number> {
    const counts = await Promise.all(
      this.streams.map((s) => (this.r.xpending(s, GROUP) as Promise<[number, ...unknown[]]>).then((i) => Number(i[0] ?? 0), () => 0)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  private async createGroup(): Promise<void> {
    for (const stream of this.streams) {
      try {
        await this.r.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM');
      } catch (e) {
        if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
      }
    }
  }

  async start(handle: DeliveryHandler): Promise<void> {
    await this.createGroup();
    // A blocking read needs a connection of its own.
    this.reader = duplicateConnection(this.r, { enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.reader.on('error', (e: Error) => (this.lastError = e.message));
    this.running = true;
    this.halted = new Promise<null>((resolve) => (this.halt = () => resolve(null)));
    this.renewTimer = setInterval(() => this.renew(), Math.max(50, Math.floor(this.claimAfterMs / 3))).unref();
    // A delivery put off while Redis was away (its back-off grows to 30 s) is tried again as soon as
    // Redis answers again, not when its timer comes: the person was told their answer would follow.
    this.r.on('ready', this.onReady);
    this.loop = this.run(handle);
  }

  /** Tries every delivery waiting for another try now. */
  private retryNow(): void {
    if (!this.running) return;
    for (const [timer, again] of [...this.retries]) {
      clearTimeout(timer);
      again();
    }
  }

  private async run(handle: DeliveryHandler): Promise<void> {
    let lastClaim = 0;
    /** After Redis was away, every delivery looks idle: take none over until live workers renewed theirs. */
    let claimAfter = 0;
    while (this.running) {
      try {
        if (this.inflight >= this.concurrency) {
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        let room = this.concurrency - this.inflight;
        const batches: { stream: string; entries: [string, string[]][] }[] = [];
        if (Date.now() - lastClaim > this.claimAfterMs / 2 && Date.now() > claimAfter) {
          lastClaim = Date.now();
          for (const stream of this.streams) {
            if (room <= 0) break;
            const claimed = (await this.untilStopped(this.r.xautoclaim(stream, GROUP, this.consumer, this.claimAfterMs, '0', 'COUNT', room))) as [string, [string, string[]][]] | null;
            if (!claimed) break;
            const entries = claimed[1].filter((e) => e && e[1]);
            room -= entries.length;
            if (entries.length) batches.push({ stream, entries });
          }
        }
        if (!batches.length) {
          // COUNT applies to each stream: with pleas waiting too, up to twice the room may be taken
          // (the fast lane is nearly always empty; halving the count would halve every ordinary read).
          const res = (await this.untilStopped(this.reader!.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', room, 'BLOCK', this.readBlockMs, 'STREAMS', ...this.streams, '>', '>'))) as
            | [string, [string, string[]][]][]
            | null;
          // Redis answers per stream; the fast lane is handed out first.
          for (const stream of this.streams) {
            const entries = res?.find(([name]) => name === stream)?.[1] ?? [];
            if (entries.length) batches.push({ stream, entries });
          }
        }
        if (!this.running) break;
        this.lastError = null;
        for (const { stream, entries } of batches) {
          const deliveries = entries.map(([id, fields]) => ({ id, d: this.takeStored(id) ?? this.decode(fields) }));
          if (this.order) deliveries.sort((a, b) => (a.d && b.d ? this.order!(a.d) - this.order!(b.d) : 0));
          for (const { id, d } of deliveries) this.dispatch(stream, id, d, handle);
        }
      } catch (e) {
        if (!this.running) break;
        this.lastError = (e as Error).message;
        claimAfter = Date.now() + this.claimAfterMs;
        this.log.warn({ err: this.lastError }, 'inbox read failed; retrying');
        // A Redis that came back empty has lost the group too: make it again.
        if (this.lastError.includes('NOGROUP')) await this.createGroup().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * What `command` answers, or null once stop is called. A connection closed while it waits to
   * reconnect (Redis away) never answers the commands it holds (ioredis 5: disconnect() in
   * "reconnecting" clears the timer and flushes nothing), so the loop must not wait on them to stop.
   * An entry read but given up stays pending in Redis and is taken over (claimAfterMs).
   */
  private untilStopped<T>(command: Promise<T>): Promise<T | null> {
    command.catch(() => undefined);
    return Promise.race([command, this.halted]);
  }

  /** A delivery this process stored itself, as it was given (flood-marked ones are decoded: their mark is in the entry). */
  private takeStored(id: string): Delivery | undefined {
    const d = this.stored.get(id);
    if (d) this.stored.delete(id);
    return d;
  }

  private decode(fields: string[]): Delivery | null {
    try {
      // Field names at even places, values after them (a value is never taken for a name).
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      const { id, body } = JSON.parse(this.cipher.open(f.get('b')!)) as { id: string; body: unknown };
      const channel = f.get('c')!;
      return f.has('f') ? { channel, id, body, flood: true } : { channel, id, body };
    } catch {
      return null;
    }
  }

  /** Tells Redis this process still holds its deliveries (resets their idle time), so none is taken over. */
  private renew(): void {
    for (const [stream, ids] of this.held) {
      if (ids.size) this.r.waspadaRenew(stream, GROUP, this.consumer, ...ids).catch((e: Error) => (this.lastError = e.message));
    }
  }

  private dispatch(stream: string, id: string, d: Delivery | null, handle: DeliveryHandler, attempt = 0): void {
    if (attempt === 0) {
      this.inflight++;
      this.held.get(stream)!.add(id);
    }
    // Acknowledged (and removed) only after it was handled: a crash before this leaves it pending.
    const done = () => this.ack(stream, id);
    let retrying = false;
    (d ? handle(d) : Promise.resolve(this.log.error({ id }, 'undecodable inbox entry dropped')))
      .then(done, async (e: Error) => {
        if (e instanceof RetryLater && this.running) {
          retrying = true;
          const again = () => {
            this.retries.delete(timer);
            this.dispatch(stream, id, d, handle, attempt + 1);
          };
          const timer = setTimeout(again, Math.min(1000 * 2 ** attempt, RETRY_MAX_MS));
          this.retries.set(timer, again);
          return;
        }
        if (e instanceof RetryLater) return; // stopping: left pending for the next process
        if (e instanceof NotMine) {
          this.log.warn({ channel: d?.channel }, 'delivery for a channel this process does not serve; left for one that does');
          return;
        }
        // The handler reports its own failures to the user; an exception here is a bug: log it, do not retry forever.
        this.log.error({ err: e.message, channel: d?.channel }, 'delivery handler failed');
        await done();
      })
      .catch((e: Error) => this.log.error({ err: e.message }, 'could not acknowledge a delivery; it will be claimed again'))
      .finally(() => {
        if (retrying) return;
        this.held.get(stream)!.delete(id);
        this.inflight--;
        const w = this.wake;
        this.wake = null;
        w?.();
      });
  }

  private ack(stream: string, id: string): Promise<void> {
    return new Promise((done, fail) => {
      // Handled deliveries are acknowledged a few milliseconds later, together (nobody waits for it).
      if (this.acks.length === 0) setTimeout(() => void this.flushAcks(), ACK_BATCH_MS);
      this.acks.push({ stream, id, done, fail });
    });
  }

  /** Acknowledges (and removes) what was handled: one script call per stream with handled entries. */
  private async flushAcks(): Promise<void> {
    const batch = this.acks.splice(0);
    await Promise.all(
      this.streams.map((stream) => {
        const mine = batch.filter((b) => b.stream === stream);
        if (!mine.length) return undefined;
        return this.r.waspadaAck(stream, GROUP, ...mine.map((b) => b.id)).then(
          () => mine.forEach((b) => b.done()),
          (e: Error) => mine.forEach((b) => b.fail(e)),
        );
      }),
    );
  }

  /**
   * Stops taking deliveries and waits for the ones in hand, at most `deadlineMs`: what is not done by
   * then stays pending in Redis and another process takes it over.
   */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.running = false;
    this.halt();
    this.wake?.();
    this.reader?.disconnect();
    // Deliveries waiting for another try stay pending in Redis; another process takes them over.
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.r.off('ready', this.onReady);
    for (const t of this.retries.keys()) clearTimeout(t);
    this.inflight -= this.retries.size;
    this.retries.clear();
    await this.loop?.catch(() => undefined);
    const until = Date.now() + deadlineMs;
    // Deliveries handled directly too: their platforms are still waiting for an answer.
    while ((this.inflight > 0 || this.directWork.size > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    // With Redis away the acknowledgements wait for it: not past the deadline (unacknowledged entries
    // are handed out again, and their handled mark keeps them from being answered twice).
    await withTimeout(this.flushAcks(), Math.max(0, until - Date.now()) + 100).catch(() => undefined);
  }
}
