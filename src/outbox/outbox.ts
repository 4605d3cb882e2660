// The durable outbox: the only way a message leaves Waspada (replies, status pushes, staff messages,
// campaigns). A message accepted here is in Redis; it is sent once, in its chat's order, within the
// platform's limits shared by every process, and given up only when the platform says the recipient
// is gone or when it has waited longer than the configured age.
//
// How a message goes out (one lane per channel, in every process):
//   deliver ─ENQUEUE─► chat queue + ready set ─CLAIM─► lease (chat → token) ─send─► platform
//                                                        │ written to the network: "sent" mark
//                                                        └─ACK─► popped, counted; the chat is ready again
// A lease runs out only when its holder stopped renewing it (it died): the message is then sent again,
// unless it had already been written to the network, in which case it counts as sent ("in doubt"), so
// a message is never sent twice (see DESIGN.md for the window this leaves).
import { randomBytes } from 'node:crypto';
import { Command } from 'ioredis';
import type { RedisClient } from '../store/connection.js';
import type { ChannelSender, Recipient, SendResult } from '../channels/port.js';
import type { Outbound } from '../content/render.js';
import type { Lang, Reply } from '../engine/types.js';
import { silentLogger, userRef, type Logger } from '../log.js';
import { isUnavailable } from '../store/store.js';
import type { Keyspace, OutboxKeys } from '../store/keys.js';
import type { Recipients } from './recipients.js';
import type { AlsoWrite } from '../store/atomic.js';
import type { DataCipher } from '../store/cipher.js';
import { ACK, CLAIM, DELAY, ENQUEUE, ENQUEUE_ALSO, OLDEST, PRIORITY, RENEW, type Priority } from './scripts.js';

export type { Priority };

/** One message for the outbox: an engine reply and the language to show it in. */
export interface OutboxItem {
  lang: Lang;
  reply: Reply;
}

export interface DeliverOptions {
  /** Idempotency key: a second delivery with the same key (within `keyTtlS`) is not queued again. */
  key?: string;
  /** `urgent` goes before everything, `reply` before `bulk` (campaigns). Default `reply`. */
  priority?: Priority;
  /**
   * An answer to something the person just sent: they are reachable, whatever the registry said.
   * Otherwise (a push nobody asked for just now) a person the platform said is gone is not written to.
   */
  inReplyTo?: boolean;
  /**
   * Counts the delivery's outcome under this tag (a campaign's id): see `tagCounts`. The first message
   * carries it (a picture and then its long text count once per person). No '|' or '#'.
   */
  tag?: string;
}

/** Outcomes of a tag's messages on one channel. */
export interface TagCounts {
  sent: number;
  failed: number;
  gone: number;
  expired: number;
  /** Written to the platform by a process that died before hearing back (counted as sent). */
  in_doubt: number;
  /** Not sent: the person was in safety mode by the time it came to be sent. */
  withheld: number;
}
const TAG_OUTCOMES = ['sent', 'failed', 'gone', 'expired', 'in_doubt', 'withheld'] as const;

export type DeliverResult = 'queued' | 'duplicate' | 'gone' | 'withheld';

/** A delivery made ready to be queued inside another module's Redis script (see AlsoWrite). */
export interface PreparedDelivery {
  write: AlsoWrite;
  /** Call with what the script's `also` returned. */
  done(answer: string): DeliverResult;
}

/** The outbound port: everything that sends goes through one of these. */
export interface Deliverer {
  deliver(to: Recipient, items: readonly OutboxItem[], opts?: DeliverOptions): Promise<DeliverResult>;
  /** The same delivery as a write for another script to run (null: nothing to send). */
  prepare?(to: Recipient, items: readonly OutboxItem[], opts?: DeliverOptions): PreparedDelivery | null;
  /** Queues a prepared delivery on its own (where it cannot run inside another script). */
  enqueue?(prepared: PreparedDelivery): Promise<DeliverResult>;
  /** Whether this outbox can queue messages for a channel. */
  serves?(channel: string): boolean;
}

/**
 * What an outbox message is, as its sender sees it: an answer to someone who just wrote (`reply`), a
 * message nobody asked for just now (`push`: a case's status, a staff message, a campaign's test), or a
 * tagged message (`campaign`: a campaign's, to its subscribers).
 */
export type MessageKind = 'reply' | 'push' | 'campaign';

/**
 * Told of what the platform answered to each message sent (null: the channel threw): the metrics
 * (src/ops/prometheus.ts). Called on the way out; must return at once and never throw.
 */
export type SendObserver = (channel: string, kind: MessageKind, result: SendResult | null) => void;

/** Points where tests stop the process (kill -9) to prove nothing is lost or doubled. */
export interface OutboxHooks {
  /** A message was claimed and is about to be sent. */
  claimed?(channel: string, chat: string): void;
  /** The platform answered; the outcome is about to be recorded. */
  answered?(channel: string, chat: string, result: SendResult): void;
}

export interface OutboxOptions {
  redis: RedisClient;
  keys: Keyspace;
  channels: readonly ChannelSender[];
  /** Text of an engine reply in a language (content's renderer); the channel then renders its markup. */
  render(lang: Lang, reply: Reply): Outbound;
  /** Seals each message before it is stored: what is sent to people is never in Redis in clear. */
  cipher: DataCipher;
  recipients?: Recipients;
  log?: Logger;
  /** A sender renews its leases every third of this; a dead sender's message is taken back after it. */
  leaseMs?: number;
  /** A message not sent after this long is given up (counted as expired). 0: never. */
  maxAgeMs?: number;
  /** Messages of one channel in flight at once in this process. */
  concurrency?: number;
  /** How often a lane whose every slot is taken looks again (and the least any lane waits between looks). */
  idlePollMs?: number;
  /**
   * How often a lane looks when nothing at all is queued or in anyone's hands (a process sends what it
   * queues itself: this finds only what a process left behind without sending it).
   */
  emptyPollMs?: number;
  /** How long outcomes of sends are gathered (with other messages in flight) before one call records them; default 5 ms. */
  ackBatchMs?: number;
  /** How long an idempotency key is remembered. */
  keyTtlS?: number;
  /** Fraction of the platform's limits actually used, so delays between claim and platform never cross them. */
  headroom?: number;
  hooks?: OutboxHooks;
  /** Counts what the platforms answered (src/ops/prometheus.ts). */
  observe?: SendObserver;
  now?: () => number;
}

type Scripts = {
  outboxEnqueue(...args: (string | number)[]): Promise<DeliverResult | 'claimed'>;
  outboxClaim(...args: (string | number)[]): Promise<(string | number)[]>;
  outboxAck(...args: (string | number)[]): Promise<number>;
  outboxRenew(...args: (string | number)[]): Promise<number>;
  outboxDelay(...args: (string | number)[]): Promise<number>;
  outboxOldest(...args: (string | number)[]): Promise<number>;
};

function withScripts(redis: RedisClient): RedisClient & Scripts {
  redis.defineCommand('outboxEnqueue', { numberOfKeys: 1, lua: ENQUEUE });
  redis.defineCommand('outboxClaim', { numberOfKeys: 7, lua: CLAIM });
  redis.defineCommand('outboxAck', { numberOfKeys: 6, lua: ACK });
  redis.defineCommand('outboxRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('outboxDelay', { numberOfKeys: 1, lua: DELAY });
  redis.defineCommand('outboxOldest', { numberOfKeys: 2, lua: OLDEST });
  return redis as RedisClient & Scripts;
}

export const DEFAULT_MAX_AGE_MS = 24 * 3600 * 1000;
/**
 * How often an idle lane looks for messages when nothing at all is queued: a process sends what it
 * queues itself (its sender is woken), so this finds only what a stopped process or a command-line tool
 * left behind. Each look is a Redis round trip; every 5 s rather than every second saves about 0.8
 * round trips a second per channel in every idle process.
 */
export const EMPTY_POLL_MS = 5000;
const MAX_BACKOFF_MS = 60_000;
/** A message whose bytes leave longer than this after its claim was asked for was held up (GC, busy loop, a new connection). */
const HELD_UP_MS = 20;
/** How long outcomes of sends are gathered before they are recorded in one call. */
const ACK_BATCH_MS = 5;
/** Stopping: no new message is taken this long before the deadline, so those in flight can finish. */
const STOP_MARGIN_MS = 2000;
/** Chats of each priority (and in senders' hands) whose queues' heads oldestWaiting() reads. */
const OLDEST_LOOKED_AT = 200;

/** Pause after the nth failed attempt (n from 1): 0.5 s, 1 s, 2 s, ... at most a minute. */
export function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}

export interface OutboxCounts {
  /** Messages waiting or in flight. */
  pending: number;
  queued: number;
  sent: number;
  failed: number;
  gone: number;
  expired: number;
  retried: number;
  rate_limited: number;
  /** Written to the platform by a process that died before hearing back: counted as sent. */
  in_doubt: number;
  /** Not sent: queued before the person switched safety mode on. */
  withheld: number;
  /** Taken back from a process that died before writing them: sent again. */
  reclaimed: number;
  stale_acks: number;
}

export class RedisOutbox implements Deliverer {
  private readonly r: RedisClient & Scripts;
  private readonly lanes = new Map<string, Lane>();
  private readonly keyTtlS: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: OutboxOptions) {
    // One connection with the conversations: commands of one turn of the event loop go out in one
    // write (auto-pipelining), which costs less than a connection of the senders' own.
    this.r = withScripts(opts.redis);
    this.keyTtlS = opts.keyTtlS ?? 48 * 3600;
    this.log = opts.log ?? silentLogger;
    this.now = opts.now ?? Date.now;
    for (const channel of opts.channels) this.lanes.set(channel.name, new Lane(this.r, opts.keys.outbox(channel.name), channel, opts, this.log, this.now));
  }

  serves(channel: string): boolean {
    return this.lanes.has(channel);
  }

  /** The channels this outbox sends to. */
  channels(): string[] {
    return [...this.lanes.keys()];
  }

  /** The channel a lane sends through (its limits, what media it takes). */
  sender(channel: string): ChannelSender | undefined {
    return this.lanes.get(channel)?.channel;
  }

  /** A channel's sending limits, as its lane applies them. */
  limitsOf(channel: string): ChannelSender['limits'] | undefined {
    return this.lanes.get(channel)?.channel.limits;
  }

  private lane(channel: string): Lane {
    const lane = this.lanes.get(channel);
    if (!lane) throw new Error(`the outbox has no channel "${channel}"`);
    return lane;
  }

  /**
   * The enqueue of a delivery, as keys and arguments (for ENQUEUE, or ENQUEUE_ALSO inside another
   * script), and what to do with its answer. Null when there is nothing to send.
   */
  prepare(to: Recipient, items: readonly OutboxItem[], opts: DeliverOptions = {}): PreparedDelivery | null {
    const lane = this.lane(to.channel);
    lane.hurry(to.user);
    const messages: string[] = [];
    for (const { lang, reply } of items) {
      for (const message of lane.channel.render(this.opts.render(lang, reply))) messages.push(JSON.stringify(message));
    }
    if (!messages.length) return null;
    const k = lane.keys;
    // When the chat is idle and nothing is waiting, this process's sender takes the first message at
    // once (it has it in hand): one round trip for the whole way out.
    const token = lane.readyToTake() ? lane.newToken() : '';
    const asked = performance.now();
    const tag = opts.tag ?? '';
    if (/[|#]/.test(tag)) throw new Error(`an outbox tag has no "|" or "#": ${tag}`);
    const kind: MessageKind = tag ? 'campaign' : opts.inReplyTo ? 'reply' : 'push';
    const prefix = tag ? `#${tag}|` : '';
    return {
      write: {
        lua: ENQUEUE_ALSO,
        keys: [k.ready],
        args: [
          k.base, to.user, PRIORITY[opts.priority ?? 'reply'], opts.key ?? '', this.keyTtlS, opts.inReplyTo ? 'reply' : 'push', lane.chatTolerance,
          token, lane.interval, lane.early, lane.chatInterval, lane.leaseMs, ...messages.map((m, i) => (i === 0 ? prefix : '') + this.opts.cipher.seal(m)),
        ],
      },
      done(answer) {
        if (answer === 'claimed') {
          lane.send(to.user, token, messages[0]!, 0, kind, lane.claimed(asked));
          return 'queued';
        }
        // In the ready set, due in so many ms: this process's sender looks then (not at once, to be told
        // to wait). Behind a message in a sender's hands: that sender looks when it is done with it.
        if (answer.startsWith('queued:')) {
          lane.wakeIn(Number(answer.slice(7)));
          return 'queued';
        }
        return answer as DeliverResult;
      },
    };
  }

  /** Queues messages for one person, in order. One Redis round trip. Throws when Redis is unavailable. */
  async deliver(to: Recipient, items: readonly OutboxItem[], opts: DeliverOptions = {}): Promise<DeliverResult> {
    const prepared = this.prepare(to, items, opts);
    return prepared ? this.enqueue(prepared) : 'queued';
  }

  async enqueue(prepared: PreparedDelivery): Promise<DeliverResult> {
    const { keys, args } = prepared.write;
    return prepared.done(await this.r.outboxEnqueue(...keys, ...args));
  }

  /** Starts sending: every channel's lane, or those `sends` allows (a channel whose client lives in another process is left out). */
  async start(sends: (channel: string) => boolean = () => true): Promise<void> {
    for (const [name, lane] of this.lanes) if (sends(name)) lane.start();
    const recipients = this.opts.recipients;
    if (recipients) {
      const purge = () =>
        void recipients.purge([...this.lanes.keys()]).catch((e: Error) => this.log.warn({ err: e.message }, 'could not purge old gone marks'));
      purge();
      this.purgeTimer = setInterval(purge, 10 * 60_000).unref();
    }
  }

  /**
   * Keeps sending what is due until nothing is, or until the deadline; then stops taking messages and
   * waits (within the deadline) for the ones in flight. What is left stays queued for the next process.
   */
  async stop(deadlineMs = 8000): Promise<void> {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    const until = this.now() + deadlineMs;
    await Promise.all([...this.lanes.values()].map((l) => l.stop(until)));
  }

  /** Counters and pending messages per channel (for /healthz, metrics, tests). */
  async counts(only?: readonly string[]): Promise<Record<string, OutboxCounts>> {
    const out: Record<string, OutboxCounts> = {};
    for (const [name, lane] of this.lanes) {
      if (only && !only.includes(name)) continue;
      const raw = await this.r.hgetall(lane.keys.stats);
      const n = (f: string) => Number(raw[f] ?? 0);
      const c: OutboxCounts = {
        pending: 0, queued: n('queued'), sent: n('sent'), failed: n('failed'), gone: n('gone'), expired: n('expired'),
        retried: n('retried'), rate_limited: n('rate_limited'), in_doubt: n('in_doubt'), reclaimed: n('reclaimed'), stale_acks: n('stale_acks'), withheld: n('withheld'),
      };
      c.pending = c.queued - c.sent - c.failed - c.gone - c.expired - c.in_doubt - c.withheld;
      out[name] = c;
    }
    return out;
  }

  /**
   * How long the oldest message waiting to be sent has waited, per channel (ms by Redis's clock; null:
   * none is waiting). Read from the heads of the queues of the chats due first and of those in a
   * sender's hands (at most OLDEST_LOOKED_AT of each priority): exact unless more chats than that wait.
   */
  async oldestWaiting(): Promise<Record<string, number | null>> {
    const out: Record<string, number | null> = {};
    for (const [name, lane] of this.lanes) {
      const k = lane.keys;
      const age = Number(await this.r.outboxOldest(k.ready, k.lease, k.base, OLDEST_LOOKED_AT));
      out[name] = age < 0 ? null : age;
    }
    return out;
  }

  /** Outcomes of the messages delivered with `tag`, per channel. */
  async tagCounts(tag: string): Promise<Record<string, TagCounts>> {
    const out: Record<string, TagCounts> = {};
    for (const [name, lane] of this.lanes) {
      const raw = await this.r.hmget(lane.keys.tags, ...TAG_OUTCOMES.map((o) => `${tag}:${o}`));
      out[name] = Object.fromEntries(TAG_OUTCOMES.map((o, i) => [o, Number(raw[i] ?? 0)])) as unknown as TagCounts;
    }
    return out;
  }

  /** Forgets a tag's counts (its campaign was deleted). */
  async forgetTag(tag: string): Promise<void> {
    for (const lane of this.lanes.values()) await this.r.hdel(lane.keys.tags, ...TAG_OUTCOMES.map((o) => `${tag}:${o}`));
  }

  /** This process's view: messages in flight, and the last Redis error of each lane. */
  local(): Record<string, { inflight: number; lastError: string | null }> {
    return Object.fromEntries([...this.lanes].map(([name, l]) => [name, { inflight: l.inflightCount, lastError: l.lastError }]));
  }
}

interface Ack {
  chat: string;
  token: string;
  outcome: 'sent' | 'drop' | 'gone' | 'wait' | 'fail';
  pauseMs: number;
}

/** A claim of messages: when it was asked for (performance.now()), and what had been pushed back before it (see heldUp). */
interface Claim {
  asked: number;
  /** How far this process had pushed the channel's slots back (in all) when the claim was asked for. */
  pushedBefore: number;
}

/** One channel's sending loop in this process. */
class Lane {
  readonly chatTolerance: number;
  readonly chatInterval: number;
  readonly interval: number;
  readonly early: number;
  readonly leaseMs: number;
  private readonly maxAgeMs: number;
  private readonly concurrency: number;
  private readonly idlePollMs: number;
  private readonly emptyPollMs: number;
  private readonly longestPauseMs: number;
  private readonly worker = randomBytes(6).toString('base64url');
  private claims = 0;
  /** chat → claim token of the message this process is sending to it. */
  private readonly inflight = new Map<string, string>();
  private acks: Ack[] = [];
  private flushing: Promise<void> | null = null;
  /** Outcomes Redis could not record wait for a retry (one loop of them). */
  private retrying = false;
  private running = false;
  /** Stopping: when to take no more messages, and when to give up waiting for those in flight. */
  private claimUntil = Infinity;
  private stopAt = Infinity;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** While paused: when the pause ends, and how to make it end sooner (wakeIn). */
  private pauseUntil = 0;
  private rearm: ((at: number) => void) | null = null;
  /** A wakeIn that came while the loop was not paused: the next pause ends by then. */
  private wakeAt = Infinity;
  /** A wake that came while the loop was not waiting (it was claiming): the next pause returns at once. */
  private woken = false;
  private renewTimer: NodeJS.Timeout | null = null;
  /** How far this process has pushed the channel's slots back for messages over a second late, in all (ms). */
  private pushedMs = 0;
  lastError: string | null = null;

  constructor(
    private readonly r: RedisClient & Scripts,
    readonly keys: OutboxKeys,
    readonly channel: ChannelSender,
    private readonly opts: OutboxOptions,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    const headroom = opts.headroom ?? 0.975;
    const { perSecond, perChatPerSecond, perChatBurst } = channel.limits;
    this.interval = 1000 / (perSecond * headroom);
    this.chatInterval = 1000 / (perChatPerSecond * headroom);
    this.chatTolerance = this.chatInterval * Math.max(0, perChatBurst - 1);
    // A channel token may be taken a little early: timers fire late, and a sender that always woke
    // after its slot would lose that time on every message. Tokens still come `interval` apart on
    // average. At 30/s with the default headroom, 31 messages span at least 1020 ms when claimed, so
    // none reaches the platform as the 31st of a second unless one is held up about 20 ms longer than
    // the others between its claim and the network (a long GC pause, a new connection): such a one
    // takes the next slot too (heldUp). At high rates this lets one claim take a batch.
    this.early = Math.min(5, Math.max(1, this.interval / 4));
    this.leaseMs = opts.leaseMs ?? 15_000;
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.concurrency = opts.concurrency ?? 64;
    this.idlePollMs = opts.idlePollMs ?? 200;
    this.emptyPollMs = Math.max(this.idlePollMs, opts.emptyPollMs ?? EMPTY_POLL_MS);
    // Some sender claims at least every third of a lease: the claim script reads a longer silence as
    // Redis (or every sender) having been away, and gives every lease a new term.
    this.longestPauseMs = Math.max(this.idlePollMs, Math.min(this.emptyPollMs, Math.floor(this.leaseMs / 3)));
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    if (w) w();
    else this.woken = true;
  }

  /**
   * Wakes the sender in `ms` (a message queued by this process is due then), or at once when ms <= 0;
   * a pause that would end later is cut short then, a sooner one is left as it is.
   */
  wakeIn(ms: number): void {
    if (!(ms > 0)) return this.wake();
    const at = Date.now() + ms;
    if (this.rearm) {
      if (at < this.pauseUntil) this.rearm(at);
    } else if (at < this.wakeAt) this.wakeAt = at;
  }

  private pause(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    const until = Math.min(Date.now() + ms, this.wakeAt);
    this.wakeAt = Infinity;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout>;
      const end = () => {
        this.wakeUp = null;
        this.rearm = null;
        this.pauseUntil = 0;
        resolve();
      };
      const arm = (at: number) => {
        clearTimeout(timer);
        this.pauseUntil = at;
        timer = setTimeout(end, Math.max(0, at - Date.now()));
      };
      arm(until);
      this.rearm = arm;
      this.wakeUp = () => {
        clearTimeout(timer);
        end();
      };
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopAt = Infinity;
    this.claimUntil = Infinity;
    this.renewTimer = setInterval(() => this.renew(), Math.max(100, Math.floor(this.leaseMs / 3))).unref();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const now = this.now();
      if (now >= this.claimUntil) break;
      const room = this.concurrency - this.inflight.size;
      if (room <= 0) {
        await this.pause(this.idlePollMs);
        continue;
      }
      let res: (string | number)[];
      try {
        const k = this.keys;
        const token = this.newToken();
        const issued = performance.now();
        res = await this.r.outboxClaim(
          k.ready, k.lease, k.inflight, k.sent, k.rate, k.stats, k.clock,
          k.base, room, this.interval, this.early, this.chatInterval, this.chatTolerance, this.leaseMs, token, this.maxAgeMs,
        );
        const claim = this.claimed(issued);
        for (let i = 1; i < res.length; i += 3) {
          const entry = String(res[i + 2]);
          const first = entry.indexOf('|');
          const second = entry.indexOf('|', first + 1);
          // A message nobody asked for: "!"; a tagged message: "#<tag>|"; then the sealed message.
          let start = second + 1;
          let kind: MessageKind = 'reply';
          if (entry.charCodeAt(start) === 33) {
            start++;
            kind = 'push';
          }
          if (entry.charCodeAt(start) === 35) {
            start = entry.indexOf('|', start) + 1;
            kind = 'campaign';
          }
          this.sendSealed(String(res[i]), token, entry.slice(start), Number(entry.slice(first + 1, second)), kind, claim);
        }
        this.lastError = null;
        failures = 0;
      } catch (e) {
        this.lastError = (e as Error).message;
        if (failures++ === 0) this.log.warn({ channel: this.channel.name, err: this.lastError }, 'outbox: could not claim messages; retrying');
        await this.pause(Math.min(100 * 2 ** failures, 2000, this.untilClaimsEnd()));
        continue;
      }
      const taken = (res.length - 1) / 3;
      if (taken >= room) continue;
      const wait = Number(res[0]);
      const draining = this.claimUntil !== Infinity;
      // Stopping: done once nothing is due before the deadline and nothing is in flight.
      if (draining && this.inflight.size === 0 && (wait < 0 || now + wait >= this.claimUntil)) break;
      if (wait === 0) continue;
      // Until the first message is due (a chat's or the channel's pace, a lease running out), capped
      // by the empty-queue look: what this process queues wakes it, what other processes queue their
      // own senders take, so looking sooner only finds what a tool or a stopped process left.
      await this.pause(Math.min(wait < 0 ? this.emptyPollMs : wait, this.longestPauseMs, this.untilClaimsEnd()));
    }
    this.running = false;
  }

  /**
   * How long claims may still go on (ms): no pause of the loop, after a claim or a refused one, lasts
   * past it while stopping (a message hanging in flight kept the loop asleep for a whole pause past
   * it, and stop() past its deadline). Infinity while not stopping.
   */
  private untilClaimsEnd(): number {
    return Math.max(0, this.claimUntil - this.now());
  }

  /** A claim asked for at `asked` (performance.now()): its messages' lateness is measured from then. */
  claimed(asked: number): Claim {
    return { asked, pushedBefore: this.pushedMs };
  }

  /**
   * A message of `claim` is about to reach the platform (its bytes are being written): if that is more
   * than HELD_UP_MS after its slot was asked for (the claim's answer waited behind a busy event loop,
   * a GC pause, a new connection to the platform), it no longer goes out in its own slot, which has
   * passed unused: it takes another, the channel's next one (see DELAY), so that no second holds one
   * message more than its slots. One slot is enough while it is less than a second late (1000 +
   * HELD_UP_MS - interval ms): a second that holds the late message either still holds its own slot
   * or holds the one it takes now. Several messages held up by one stall take a slot each. Later than
   * that (a lost packet on a new connection), a second can end at its write without holding either:
   * the slots after it are pushed back by its lateness too, as far as this process has not pushed
   * them since the claim (one stall that holds up several messages pushes once). (Pushing back by
   * the lateness for every late message, as until 3 Dec, left the channel idle as long as each stall:
   * a busy start cost a burst 4 % of its rate.) At high rates it does not matter (no slot is that long).
   */
  private heldUp(claim: Claim): void {
    const late = performance.now() - claim.asked;
    if (late <= HELD_UP_MS || this.interval < HELD_UP_MS) return;
    let ms = this.interval;
    if (late > 1000 + HELD_UP_MS - this.interval) {
      const more = late - HELD_UP_MS / 2 - (this.pushedMs - claim.pushedBefore);
      if (more > 0) {
        this.pushedMs += more;
        ms += more;
      }
    }
    this.r.outboxDelay(this.keys.rate, this.keys.base, ms).catch(() => undefined);
  }

  /** A claim token of this process's sender: one per claim. */
  newToken(): string {
    return `${this.worker}.${++this.claims}`;
  }

  /** Whether this sender can take a message at once (running, not stopping, room to send). */
  readyToTake(): boolean {
    return this.running && this.claimUntil === Infinity && this.inflight.size < this.concurrency;
  }

  /** Opens a claimed message and sends it; one that cannot be opened (its key is gone) is dropped. */
  private sendSealed(chat: string, token: string, sealed: string, attempts: number, kind: MessageKind, claim: Claim): void {
    let message: string;
    try {
      message = this.opts.cipher.open(sealed);
    } catch (e) {
      this.log.error({ channel: this.channel.name, chat: userRef(`${this.channel.name}:${chat}`), err: (e as Error).message }, 'outbox: message cannot be opened; dropped');
      this.inflight.set(chat, token);
      return this.settle({ chat, token, outcome: 'drop', pauseMs: 0 });
    }
    this.send(chat, token, message, attempts, kind, claim);
  }

  /** Sends one claimed message (the platform's JSON); its outcome is acknowledged in a batch. */
  send(chat: string, token: string, message: string, attempts: number, kind: MessageKind, claim: Claim): void {
    this.inflight.set(chat, token);
    this.opts.hooks?.claimed?.(this.channel.name, chat);
    const written = () => {
      this.mark(chat, token);
      this.heldUp(claim);
    };
    this.channel.send(chat, message, { written }).then(
      (result) => {
        this.opts.hooks?.answered?.(this.channel.name, chat, result);
        this.opts.observe?.(this.channel.name, kind, result);
        this.settle(this.outcome(chat, token, result, attempts));
      },
      (e: Error) => {
        // A channel must classify its errors; an exception here is a bug: retry with back-off.
        this.log.error({ channel: this.channel.name, err: e.message }, 'outbox: channel send threw');
        this.opts.observe?.(this.channel.name, kind, null);
        this.settle({ chat, token, outcome: 'fail', pauseMs: backoffMs(attempts + 1) });
      },
    );
  }

  private outcome(chat: string, token: string, result: SendResult, attempts: number): Ack {
    if (result.ok) return { chat, token, outcome: 'sent', pauseMs: 0 };
    const who = userRef(`${this.channel.name}:${chat}`);
    switch (result.kind) {
      case 'retry':
        this.log.warn({ channel: this.channel.name, chat: who, after_ms: result.afterMs }, 'platform asked to slow down');
        return { chat, token, outcome: 'wait', pauseMs: result.afterMs };
      case 'transient':
        if (attempts === 0) this.log.warn({ channel: this.channel.name, chat: who, reason: result.reason }, 'send failed; will retry');
        return { chat, token, outcome: 'fail', pauseMs: backoffMs(attempts + 1) };
      case 'gone':
        this.log.info({ channel: this.channel.name, chat: who, reason: result.reason }, 'recipient gone; marked unreachable');
        return { chat, token, outcome: 'gone', pauseMs: 0 };
      case 'permanent':
        this.log.error({ channel: this.channel.name, chat: who, reason: result.reason }, 'message refused by the platform; dropped');
        return { chat, token, outcome: 'drop', pauseMs: 0 };
    }
  }

  /**
   * The message is about to leave for the platform: from now on it is never sent again. The mark is
   * written to the Redis socket at once (not queued for the automatic pipeline, which waits for the
   * next turn of the event loop), before the channel writes the message's bytes: a sender killed in
   * between leaves a message marked and unsent (counted in doubt), never one sent and unmarked.
   */
  private mark(chat: string, token: string): void {
    const hset = new Command('hset', [this.keys.sent, chat, token]);
    this.r.sendCommand(hset);
    hset.promise.catch((e: Error) => (this.lastError = e.message));
  }

  /**
   * Messages to `chat` are about to be queued: the outcome of its last message, if it waits here for
   * its batch, is recorded at once, ahead of them (one connection keeps the order), so that they find
   * the chat free and the first is sent from its turn, not queued behind the old one and claimed in
   * another round trip. (Someone who writes again within milliseconds of a reply: a quick "ok",
   * several messages in a row.)
   */
  hurry(chat: string): void {
    this.recordNow(chat);
  }

  /**
   * Records the gathered outcomes now rather than with their batch (only if one is `chat`'s, when
   * given). Not while outcomes are being recorded (these would follow them anyway) or wait to be tried
   * again (Redis refused them): each call would start one more retry loop.
   */
  private recordNow(chat?: string): void {
    if (this.flushing || this.retrying || !this.acks.length) return;
    if (chat === undefined || this.acks.some((a) => a.chat === chat)) void this.flush();
  }

  private settle(ack: Ack): void {
    // Outcomes are recorded a few milliseconds later, together: the message has reached the platform
    // already; only the chat's next message waits for this, and a chat may send one a second anyway.
    // With no other message in flight there is nothing to gather: recorded at once, so that the
    // chat's next message (the answer to a quick reply) is sent straight from its turn, not queued
    // behind this one and claimed in another round trip.
    if (!this.acks.length) {
      if (this.inflight.size <= 1) setImmediate(() => void this.flush());
      // (unref: a batch keeps no process alive; stop() records what is left at once)
      else setTimeout(() => void this.flush(), this.opts.ackBatchMs ?? ACK_BATCH_MS).unref();
    }
    this.acks.push(ack);
  }

  /** Records the outcomes of sends: one script call for all that finished in one turn. */
  private async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      if (!this.acks.length) return;
    }
    const acks = this.acks;
    this.acks = [];
    if (!acks.length) return;
    const k = this.keys;
    const forget = () => {
      for (const a of acks) if (this.inflight.get(a.chat) === a.token) this.inflight.delete(a.chat);
    };
    const work = (async () => {
      try {
        const more = await this.r.outboxAck(
          k.ready, k.lease, k.inflight, k.sent, k.stats, k.gone,
          k.base, this.chatTolerance, ...acks.flatMap((a) => [a.chat, a.token, a.outcome, a.pauseMs]),
        );
        // Room to send again; worth a claim only if these chats have more (or the loop was waiting for room).
        const full = this.inflight.size >= this.concurrency;
        forget();
        if (more > 0 || full) this.wake();
      } catch (e) {
        this.lastError = (e as Error).message;
        if (!isUnavailable(e) || (!this.running && this.now() >= this.stopAt)) {
          // A mistake, not an outage (or stopped past the deadline): trying again would fail again.
          // These messages are let go of: their leases run out and they are taken back.
          this.log.error({ channel: this.channel.name, err: this.lastError, acks: acks.length }, 'outbox: could not record sends; their leases will run out');
          forget();
          return;
        }
        // Redis is away: keep them and try again (the leases are renewed meanwhile, when it answers).
        this.log.warn({ channel: this.channel.name, err: this.lastError, acks: acks.length }, 'outbox: could not record sends; retrying');
        this.acks.unshift(...acks);
        this.retrying = true;
        setTimeout(() => {
          this.retrying = false;
          void this.flush();
        }, 500).unref();
      }
    })();
    this.flushing = work;
    await work;
    if (this.flushing === work) this.flushing = null;
  }

  /** Renews the leases of the messages this process is sending. */
  private renew(): void {
    if (!this.inflight.size) return;
    this.r.outboxRenew(this.keys.lease, this.keys.base, this.leaseMs, ...this.inflight.keys()).catch((e: Error) => {
      this.lastError = e.message;
    });
  }

  async stop(until: number): Promise<void> {
    this.stopAt = until;
    const now = this.now();
    this.claimUntil = until - Math.min(STOP_MARGIN_MS, Math.max(0, (until - now) / 4));
    this.wake();
    // Outcomes gathered for a batch are recorded now, not when the batch would have gone (the loop may
    // take a while to end); so are those of messages still in flight, as they come back.
    this.recordNow();
    await this.loop?.catch(() => undefined);
    this.running = false;
    // What is still in flight: wait for it (within the deadline) so that its outcome is recorded.
    while ((this.inflight.size || this.acks.length || this.flushing) && this.now() < until) {
      this.recordNow();
      await new Promise((r) => setTimeout(r, 10));
    }
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.inflight.size) this.log.warn({ channel: this.channel.name, inflight: this.inflight.size }, 'stopping with messages in flight; another process takes them over');
  }
}
