// The Prometheus metrics of one process (GET /metrics, src/ops/endpoint.ts).
//
// Two sorts:
// - what happened in this process, counted as it happens: updates handled by channel and kind, webhook
//   answers, messages sent / rate-limited / refused by channel and kind, checker verdicts, pictures,
//   cases opened. A count is one Map update on the way: no Redis command, no prom-client call (the
//   webhook path is benchmarked). The dashboard's hook points feed them (src/staff/metrics.ts's
//   MetricsRecorder, through alongside()), with the outbox's SendObserver and the webhook routes.
// - what is in Redis now, shared by every process, read when Prometheus asks (each read within
//   READ_TIMEOUT_MS, so a slow Redis does not hang the scrape): the outbox's backlog and the age of
//   its oldest waiting message by channel, the outbox's own counters, cases by stage, Redis's PING.
//   Every process reports the same values: aggregate them with max(), not sum().
// Plus prom-client's default metrics of the process (CPU, memory, GC, event-loop lag).
//
// prom-client is loaded by the first scrape (it costs more to load than answering a webhook needs),
// into a registry of this object's own, not the global one: several servers in one process (tests)
// keep apart. The default metrics' event-loop and GC figures start with that first scrape.
//
// Labels are words from the code only (channel names, kinds, levels, stages, reasons, outcomes): never
// a chat id, a text, a name or a case number. A value that is not such a word is counted as "other".
import type { Redis } from 'ioredis';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RouteHandler, Routes, SendResult } from '../channels/port.js';
import type { MessageKind, OutboxCounts, SendObserver } from '../outbox/outbox.js';
import type { Stage } from '../hotline/types.js';
import { silentLogger, type Logger } from '../log.js';
import { withTimeout } from '../timeout.js';
import { VERDICTS, type MetricsRecorder } from '../staff/metrics.js';

/** Longest a scrape waits for each of its Redis reads. */
export const READ_TIMEOUT_MS = 1000;
/**
 * Cases by stage are a read of every case's stage: read again no sooner than this many times as long
 * as the last read took, nor than METRICS_CASES_REFRESH_SECONDS (scrapes between reuse it), so that a
 * hotline with very many cases is read less often instead of keeping Redis busy.
 */
export const CASES_READ_SPACING = 20;

const MESSAGE_KINDS: readonly MessageKind[] = ['reply', 'push', 'campaign'];
const OUTBOX_OUTCOMES = ['queued', 'sent', 'failed', 'gone', 'expired', 'in_doubt', 'withheld', 'retried', 'rate_limited', 'reclaimed'] as const;
/** A webhook's answer, by its HTTP status. */
const WEBHOOK_OUTCOMES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'too_large',
  429: 'too_many',
  500: 'error',
  503: 'unavailable',
};

/** A label value from the code: a short word, else "other" (nothing from outside becomes a label). */
const word = (v: string): string => (/^[a-z0-9_-]{1,40}$/i.test(v) ? v : 'other');

/** What the gauges read from: the shared Redis, the outbox, the hotline's cases. */
export interface MetricsSources {
  redis: Pick<Redis, 'ping'>;
  outbox: { counts(): Promise<Record<string, OutboxCounts>>; oldestWaiting(): Promise<Record<string, number | null>> };
  /** Absent in the worker (it keeps no cases). */
  cases?: { stages(): Promise<Record<Stage, number>> };
}

/** A counter kept here (label values joined by NUL → count) and handed to prom-client at each scrape. */
class Tally {
  readonly counts = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  add(...values: string[]): void {
    const k = values.join('\0');
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  /** Shows a label set at 0 before its first event (a rate needs the 0). */
  zero(...values: string[]): void {
    const k = values.join('\0');
    if (!this.counts.has(k)) this.counts.set(k, 0);
  }
}

/** The gauges read from Redis, once prom-client is loaded. */
interface Shared {
  registry: Registry;
  pending: Gauge<'channel'>;
  oldest: Gauge<'channel'>;
  outbox: Gauge<'channel' | 'outcome'>;
  cases: Gauge<'stage'>;
  redisUp: Gauge;
  ping: Histogram;
}

export class PromMetrics {
  private readonly log: Logger;
  private readonly updates = new Tally('waspada_updates_total', 'Messages from people handled by the conversation (each once; duplicates and failed attempts not counted), by channel and kind (text, choice: a button, or a media kind).', ['channel', 'kind']);
  private readonly updateFailures = new Tally('waspada_update_failures_total', 'Attempts to handle a message that failed: redis_unavailable and retry are tried again, error got the person a "try again".', ['channel', 'reason']);
  private readonly webhooks = new Tally('waspada_webhook_requests_total', 'Webhook requests by channel and answer: accepted, or why not (unauthorized: wrong secret or signature, bad_request, too_large, unavailable: Redis away, error).', ['channel', 'outcome']);
  private readonly sent = new Tally('waspada_messages_sent_total', 'Messages the platform accepted, by channel and kind (reply: to someone who just wrote, push: a status or staff message, campaign: a broadcast).', ['channel', 'kind']);
  private readonly rateLimited = new Tally('waspada_send_rate_limited_total', 'Sends the platform answered with "slow down" (HTTP 429 or its like): the message waits as asked and is sent again.', ['channel', 'kind']);
  private readonly sendFailures = new Tally('waspada_send_failures_total', 'Sends that failed: transient (tried again with back-off), gone (the person blocked the bot or left), refused (the platform will never take this message), error (a bug in the channel).', ['channel', 'kind', 'reason']);
  private readonly verdicts = new Tally('waspada_checker_verdicts_total', 'Job offers checked, by the verdict\'s level of risk.', ['level']);
  private readonly pictures = new Tally('waspada_pictures_total', 'Pictures whose text was read (read), or why not.', ['outcome']);
  private readonly casesOpened = new Tally('waspada_cases_opened_total', 'Hotline cases opened from the chat, by kind.', ['kind']);
  private readonly readFailures = new Tally('waspada_metrics_read_failures_total', 'Scrapes whose read from Redis failed or took too long (its gauges are left out of that scrape).', ['part']);
  private readonly tallies = [this.updates, this.updateFailures, this.webhooks, this.sent, this.rateLimited, this.sendFailures, this.verdicts, this.pictures, this.casesOpened, this.readFailures];
  private sources: MetricsSources | null = null;
  private shared: Promise<Shared> | null = null;
  private stages: { until: number; counts: Promise<Record<Stage, number>> } | null = null;
  /** Parts whose last read failed: said once, until they are read again. */
  private readonly failing = new Set<string>();

  private readonly casesRefreshMs: number;

  constructor(opts: { channels: readonly string[]; log?: Logger; casesRefreshMs?: number }) {
    this.log = opts.log ?? silentLogger;
    this.casesRefreshMs = opts.casesRefreshMs ?? 60_000;
    for (const channel of opts.channels) {
      this.updates.zero(channel, 'text');
      for (const kind of MESSAGE_KINDS) {
        this.sent.zero(channel, kind);
        this.rateLimited.zero(channel, kind);
      }
    }
    for (const level of VERDICTS) this.verdicts.zero(level);
  }

  /** Where the gauges are read from (given once the outbox and the cases exist). */
  readFrom(sources: MetricsSources): void {
    this.sources = sources;
  }

  // --- counting (cheap: called on the hot path) ---------------------------------------------------

  /** The dashboard's recorder, whose calls are also counted here: the same hook points feed both. */
  alongside(next: MetricsRecorder): MetricsRecorder {
    return {
      message: (channel, userKey, at, kind) => {
        this.updates.add(word(channel), word(kind ?? 'text'));
        next.message(channel, userKey, at, kind);
      },
      picture: (outcome, at) => {
        this.pictures.add(word(outcome));
        next.picture(outcome, at);
      },
      offer: (verdict, flags, at) => {
        this.verdicts.add(word(verdict));
        next.offer(verdict, flags, at);
      },
      caseOpened: (kind, urgent, at) => {
        this.casesOpened.add(word(kind));
        next.caseOpened(kind, urgent, at);
      },
      reported: (hashes, at) => next.reported(hashes, at),
      caseReferred: (at) => next.caseReferred(at),
      caseClosed: (outcome, at) => next.caseClosed(outcome, at),
      subscribed: (lang, at) => next.subscribed(lang, at),
      stopped: (at) => next.stopped(at),
    };
  }

  /** What the platforms answered to the outbox's sends (OutboxOptions.observe). */
  readonly sends: SendObserver = (channel: string, kind: MessageKind, result: SendResult | null) => {
    if (result?.ok) return this.sent.add(channel, kind);
    if (result?.kind === 'retry') return this.rateLimited.add(channel, kind);
    const reason = result === null ? 'error' : result.kind === 'permanent' ? 'refused' : result.kind;
    this.sendFailures.add(channel, kind, reason);
  };

  /** A message the conversation could not handle (runtime's converse: `Handled` with ok false). */
  failed(channel: string, handled: { unavailable: boolean; retry: boolean }): void {
    this.updateFailures.add(word(channel), handled.unavailable ? 'redis_unavailable' : handled.retry ? 'retry' : 'error');
  }

  /** A channel's webhook routes, each answer counted by its status once the handler is done. */
  routes(channel: string, routes: Routes): Routes {
    const counted = (handle: RouteHandler): RouteHandler => (req, res) =>
      handle(req, res).then(
        () => this.webhooks.add(channel, res.statusCode < 300 ? 'accepted' : (WEBHOOK_OUTCOMES[res.statusCode] ?? (res.statusCode < 500 ? 'refused' : 'error'))),
        (e: unknown) => {
          this.webhooks.add(channel, 'error');
          throw e;
        },
      );
    return Object.fromEntries(Object.entries(routes).map(([route, handle]) => [route, counted(handle)]));
  }

  // --- scraping -----------------------------------------------------------------------------------

  /** The Prometheus text of every metric, with what Redis holds now; and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const shared = await (this.shared ??= this.load().catch((e: unknown) => {
      this.shared = null;
      throw e;
    }));
    await this.readShared(shared);
    return { contentType: shared.registry.contentType, text: await shared.registry.metrics() };
  }

  private async load(): Promise<Shared> {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: registry });
    const registers = [registry];
    for (const tally of this.tallies) {
      new prom.Counter({
        name: tally.name,
        help: tally.help,
        labelNames: tally.labelNames,
        registers,
        collect(this: Counter<string>) {
          this.reset();
          for (const [k, n] of tally.counts) {
            const values = k.split('\0');
            this.inc(Object.fromEntries(tally.labelNames.map((l, i) => [l, values[i]!])), n);
          }
        },
      });
    }
    const shared = 'Read from Redis at the scrape: the same in every process.';
    return {
      registry,
      pending: new prom.Gauge({ name: 'waspada_outbox_pending', help: `Messages waiting to be sent or being sent, by channel. ${shared}`, labelNames: ['channel'], registers }),
      oldest: new prom.Gauge({ name: 'waspada_outbox_oldest_waiting_seconds', help: `How long the oldest message waiting to be sent has waited, by channel (0: none waiting). ${shared}`, labelNames: ['channel'], registers }),
      outbox: new prom.Gauge({ name: 'waspada_outbox_messages', help: `The outbox's own counts since its keys were made, by channel and outcome (queued, sent, failed, gone, expired: given up after OUTBOX_MAX_AGE_HOURS, ...). ${shared}`, labelNames: ['channel', 'outcome'], registers }),
      cases: new prom.Gauge({ name: 'waspada_cases', help: `Hotline cases in each stage now, closed ones included. ${shared}`, labelNames: ['stage'], registers }),
      redisUp: new prom.Gauge({ name: 'waspada_redis_up', help: 'Whether Redis answered a PING at this scrape (1) or not (0).', registers }),
      ping: new prom.Histogram({ name: 'waspada_redis_ping_seconds', help: 'Round trips of the PING sent to Redis at each scrape.', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers }),
    };
  }

  /** Sets the gauges from Redis: each read within READ_TIMEOUT_MS; one that fails leaves its gauges out. */
  private async readShared(g: Shared): Promise<void> {
    const s = this.sources;
    if (!s) return;
    const started = performance.now();
    const [ping, counts, oldest, stages] = await Promise.allSettled([
      withTimeout(s.redis.ping(), READ_TIMEOUT_MS).then(() => (performance.now() - started) / 1000),
      withTimeout(s.outbox.counts(), READ_TIMEOUT_MS),
      withTimeout(s.outbox.oldestWaiting(), READ_TIMEOUT_MS),
      s.cases ? withTimeout(this.caseStages(s.cases), READ_TIMEOUT_MS) : Promise.resolve(null),
    ]);
    g.redisUp.set(ping.status === 'fulfilled' ? 1 : 0);
    if (ping.status === 'fulfilled') g.ping.observe(ping.value);
    this.setOrLeaveOut('outbox', [g.pending, g.outbox], counts, (c) => {
      for (const [channel, n] of Object.entries(c)) {
        g.pending.set({ channel }, Math.max(0, n.pending));
        for (const outcome of OUTBOX_OUTCOMES) g.outbox.set({ channel, outcome }, n[outcome]);
      }
    });
    this.setOrLeaveOut('outbox_age', [g.oldest], oldest, (ages) => {
      for (const [channel, ms] of Object.entries(ages)) g.oldest.set({ channel }, (ms ?? 0) / 1000);
    });
    this.setOrLeaveOut('cases', [g.cases], stages, (c) => {
      if (c) for (const [stage, n] of Object.entries(c)) g.cases.set({ stage }, n);
    });
  }

  private setOrLeaveOut<T>(part: string, gauges: Gauge<string>[], read: PromiseSettledResult<T>, set: (v: T) => void): void {
    for (const g of gauges) g.reset();
    if (read.status === 'fulfilled') {
      if (this.failing.delete(part)) this.log.info({ part }, 'metrics: read from Redis again');
      return set(read.value);
    }
    this.readFailures.add(part);
    if (this.failing.has(part)) return;
    this.failing.add(part);
    this.log.warn({ part, err: (read.reason as Error).message }, 'metrics: could not read from Redis (left out of scrapes until it can)');
  }

  /** Cases by stage: a read in progress or recent enough is shared (see CASES_READ_SPACING); a failed one is not kept. */
  private caseStages(cases: NonNullable<MetricsSources['cases']>): Promise<Record<Stage, number>> {
    const started = performance.now();
    if (this.stages && started < this.stages.until) return this.stages.counts;
    const read = { until: Infinity, counts: cases.stages() };
    this.stages = read;
    read.counts.then(
      () => {
        const now = performance.now();
        read.until = now + Math.max(this.casesRefreshMs, (now - started) * CASES_READ_SPACING);
      },
      () => {
        if (this.stages === read) this.stages = null;
      },
    );
    return read.counts;
  }
}
