// The numbers behind the staff dashboard: daily counters in Redis, by the day in Indonesia's western
// time (UTC+7, Asia/Jakarta), kept 35 days. Read by `dashboard()` in two pipelines a day (sent
// together: each day's keys share a hash tag, so a day's pipeline goes to one node of a Cluster),
// never by scanning.
//
// Recording costs a conversation nothing it would wait for: each event adds to a buffer in this
// process, and the buffer goes to Redis once a second, a pipeline a day (also when the process stops).
// A failed write is logged once (and once more when writes work again); those counts are lost, the
// conversation never notices. Counts may run a little high when a message is handled twice (its first
// save failed): they are a dashboard, not a ledger.
//
// Nothing personal is kept (the keys: src/store/keys.ts, `metrics`):
// - people who wrote: a HyperLogLog per channel and day, whose members are keyed hashes (SHA-256 of
//   HASH_SECRET and "<channel>:<user>"). A HyperLogLog keeps no member at all, only 16,384 small
//   registers (≤ 12 kB a channel and day, whatever the traffic), so the day's distinct count (±0.81 %)
//   comes without a list of anyone; the key makes even "was this id counted?" unanswerable without
//   the secret. (A set of keyed hashes would be exact, but would keep one pseudonym per person and
//   day for 35 days, and grow with the traffic.)
// - recruiter contacts reported: the keyed hashes the recruiter registry already knows them by
//   (src/conversation/recruiters.ts), in a sorted set per day; the dashboard shows 8 characters.
// - everything else: counters named by codes from the code (verdicts, red-flag ids, channels, case
//   kinds, picture failures, languages) or by the short outcome word staff close a case with.
import { hash } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import { LANGS, type Segment } from '../broadcast/subscribers.js';
import { silentLogger, type Logger } from '../log.js';
import type { Keyspace } from '../store/keys.js';

/** How long a day's counters are kept after its last write. */
export const METRICS_TTL_S = 35 * 24 * 3600;
/** How often the buffered counts are written. */
export const FLUSH_MS = 1000;
/** The dashboard's days: 30 by default, at most as many as are kept. */
export const DASHBOARD_DAYS = 30;
export const MAX_DASHBOARD_DAYS = 35;
/** How many red flags and reported contacts the dashboard lists. */
export const TOP = 10;
/** The most reported contacts read of each day to find the top ones (reports are rare: usually all of them). */
const REPORTED_PER_DAY = 500;
/** Indonesia's western time (Jakarta) has no daylight saving: UTC+7 all year. */
const UTC_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;
/** Characters of a reported contact's keyed hash shown: enough to tell them apart, and to match a case's. */
const SHOWN_HASH = 8;

export const VERDICTS = ['high', 'medium', 'low', 'unclear'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The day of a time in Jakarta, as "2025-01-31". */
export function dayOf(at: number): string {
  return new Date(at + UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** What the rest of the code records: every method returns at once and never throws. */
export interface MetricsRecorder {
  /**
   * A message handled: counted on its channel, and the person among the day's people there. `kind`:
   * what it was (text, choice, or a media kind: see inboundKind), for the Prometheus metrics; the
   * dashboard does not keep it.
   */
  message(channel: string, userKey: string, at?: number, kind?: string): void;
  /** A picture's text was read, or why not. */
  picture(outcome: 'read' | string, at?: number): void;
  /** An offer checked: its verdict and the ids of the red flags found in it. */
  offer(verdict: Verdict, flags: readonly string[], at?: number): void;
  /** Recruiter contacts reported (their keyed hashes). */
  reported(hashes: readonly string[], at?: number): void;
  caseOpened(kind: string, urgent: boolean, at?: number): void;
  caseReferred(at?: number): void;
  caseClosed(outcome: string, at?: number): void;
  /** A new subscriber from the chat (someone subscribing again or changing theirs is not new), or a stop. */
  subscribed(lang: string, at?: number): void;
  stopped(at?: number): void;
}

/** One day of the dashboard. Maps are keyed by channel, verdict, failure kind, language. */
export interface DayStats {
  day: string;
  /** Distinct people who wrote, per channel (approximate: ±0.81 %). */
  conversations: Record<string, number>;
  /** Messages handled, per channel. */
  messages: Record<string, number>;
  offers: Record<Verdict, number>;
  cases: { opened: number; urgent: number; referred: number; closed: number };
  pictures: { read: number; notRead: Record<string, number> };
  subscriptions: { new: Record<string, number>; stopped: number };
  /** Recruiter contacts reported (each contact of a report counts once). */
  reports: number;
}

export interface Dashboard {
  timeZone: 'Asia/Jakarta';
  /** Oldest first, today last. */
  days: DayStats[];
  /** The days summed (conversations: the sum of each day's people, not distinct over the period). */
  totals: Omit<DayStats, 'day'> & { casesByKind: Record<string, number>; closedBy: Record<string, number> };
  /** The red flags most seen in checked offers over the period. */
  topFlags: { id: string; count: number }[];
  /** The recruiter contacts most reported over the period: the start of their keyed hash, never the contact. */
  topReported: { contact: string; count: number }[];
  /** Subscribers now (subscribed to at least one topic, not stopped), by language; null where none are kept. */
  subscribers: Record<string, number> | null;
}

/** A counter name's part that comes from outside the code (a closing outcome): a short word, or "other". */
const safe = (part: string) => (/^[a-z0-9_-]{1,40}$/i.test(part) ? part : 'other');

interface DayBuffer {
  counts: Map<string, number>;
  people: Map<string, Set<string>>;
  reported: Map<string, number>;
}

export interface MetricsOptions {
  redis: RedisClient;
  keys: Keyspace;
  /** Keys the hashes of people (config HASH_SECRET). */
  hashSecret: string;
  /** Counts subscribers by language now (the broadcast subscribers' bitmaps): the dashboard's totals. */
  subscribers?: { count(segment: Segment): Promise<number> };
  flushMs?: number;
  log?: Logger;
  now?: () => number;
}

export class Metrics implements MetricsRecorder {
  private readonly redis: RedisClient;
  private readonly keys: Keyspace;
  private readonly secret: string;
  private readonly subscribers?: MetricsOptions['subscribers'];
  private readonly flushMs: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private buffer = new Map<string, DayBuffer>();
  /** The day last counted on, and when it starts and ends (ms): most events fall on it. */
  private today = { day: '', from: 0, to: 0 };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Writes are failing: said once, until they work again. */
  private failing = false;
  private closed = false;

  constructor(opts: MetricsOptions) {
    this.redis = opts.redis;
    this.keys = opts.keys;
    this.secret = opts.hashSecret;
    this.subscribers = opts.subscribers;
    this.flushMs = opts.flushMs ?? FLUSH_MS;
    this.log = opts.log ?? silentLogger;
    this.now = opts.now ?? Date.now;
  }

  // --- recording ---------------------------------------------------------------------------------

  private day(at: number | undefined): DayBuffer {
    const t = at ?? this.now();
    if (t < this.today.from || t >= this.today.to) {
      const from = Math.floor((t + UTC_OFFSET_MS) / DAY_MS) * DAY_MS - UTC_OFFSET_MS;
      this.today = { day: dayOf(t), from, to: from + DAY_MS };
    }
    const day = this.today.day;
    let b = this.buffer.get(day);
    if (!b) this.buffer.set(day, (b = { counts: new Map(), people: new Map(), reported: new Map() }));
    // The first event since the last write: the next write is due in a second.
    if (!this.timer && !this.closed) this.timer = setTimeout(() => void this.flush(), this.flushMs).unref();
    return b;
  }

  private add(at: number | undefined, ...names: string[]): void {
    const counts = this.day(at).counts;
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  }

  message(channel: string, userKey: string, at?: number): void {
    const b = this.day(at);
    const ch = safe(channel);
    b.counts.set(`msg:${ch}`, (b.counts.get(`msg:${ch}`) ?? 0) + 1);
    let people = b.people.get(ch);
    if (!people) b.people.set(ch, (people = new Set()));
    // Keyed by the secret in front (a one-shot hash costs a seventh of an HMAC, on every message; no
    // hash is ever shown, so the length extension an HMAC guards against does not arise).
    people.add(hash('sha256', `${this.secret}\0metrics:${userKey}`, 'base64url').slice(0, 16));
  }

  picture(outcome: string, at?: number): void {
    this.add(at, outcome === 'read' ? 'pic:read' : `pic:no:${safe(outcome)}`);
  }

  offer(verdict: Verdict, flags: readonly string[], at?: number): void {
    this.add(at, `offer:${verdict}`, ...flags.map((f) => `flag:${safe(f)}`));
  }

  reported(hashes: readonly string[], at?: number): void {
    const b = this.day(at);
    for (const h of hashes) {
      const hash = safe(h);
      b.reported.set(hash, (b.reported.get(hash) ?? 0) + 1);
      b.counts.set('reports', (b.counts.get('reports') ?? 0) + 1);
    }
  }

  caseOpened(kind: string, urgent: boolean, at?: number): void {
    this.add(at, 'case:opened', `case:kind:${safe(kind)}`, ...(urgent ? ['case:urgent'] : []));
  }

  caseReferred(at?: number): void {
    this.add(at, 'case:referred');
  }

  caseClosed(outcome: string, at?: number): void {
    this.add(at, 'case:closed', `case:closed:${safe(outcome)}`);
  }

  subscribed(lang: string, at?: number): void {
    this.add(at, `sub:new:${safe(lang)}`);
  }

  stopped(at?: number): void {
    this.add(at, 'sub:stopped');
  }

  /** Writes what was counted so far, in one pipeline; resolves once written (or dropped, logged once). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const days = this.buffer;
    this.buffer = new Map();
    if (!days.size) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(days));
    return this.flushing;
  }

  private async write(days: Map<string, DayBuffer>): Promise<void> {
    // A pipeline a day, sent together: a day's keys share a hash tag, two days' need not share a node.
    const written = [...days].map(([day, b]) => {
      const k = this.keys.metrics(day);
      const p = this.redis.pipeline();
      if (b.counts.size) {
        for (const [name, n] of b.counts) p.hincrby(k.counts, name, n);
        p.expire(k.counts, METRICS_TTL_S);
      }
      for (const [channel, people] of b.people) p.pfadd(k.people(channel), ...people).expire(k.people(channel), METRICS_TTL_S);
      if (b.reported.size) {
        for (const [hash, n] of b.reported) p.zincrby(k.reported, n, hash);
        p.expire(k.reported, METRICS_TTL_S);
      }
      return exec(p);
    });
    try {
      await Promise.all(written);
      if (this.failing) this.log.info('dashboard counters written again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.log.error({ err: (e as Error).message }, 'dashboard counters not written (dropped until Redis answers again)');
      this.failing = true;
    }
  }

  /** Writes what is left; nothing is buffered after. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  // --- reading -----------------------------------------------------------------------------------

  /** The last `days` days (today included), their totals, the top red flags and reported contacts, subscribers now. */
  async dashboard(days = DASHBOARD_DAYS): Promise<Dashboard> {
    const n = Math.max(1, Math.min(MAX_DASHBOARD_DAYS, Math.floor(days)));
    const today = this.now();
    const names = Array.from({ length: n }, (_, i) => dayOf(today - (n - 1 - i) * DAY_MS));
    const subscribers = this.subscribers ? this.subscriberCounts(this.subscribers) : Promise.resolve(null);
    // A pipeline a day, all sent together (a day's keys share a hash tag): its counters and reported contacts.
    const res = await Promise.all(names.map((d) => exec(this.redis.pipeline().hgetall(this.keys.metrics(d).counts).zrevrange(this.keys.metrics(d).reported, 0, REPORTED_PER_DAY - 1, 'WITHSCORES'))));
    const counts = res.map((r) => numbers(r[0] as Record<string, string>));
    const reported = res.map((r) => r[1] as string[]);
    // Then the same again: the people of each channel that had messages that day.
    const channelsOf = counts.map((c) => Object.keys(c).filter((f) => f.startsWith('msg:')).map((f) => f.slice(4)));
    const people = await Promise.all(names.map((d, i) => exec(channelsOf[i]!.reduce((q, ch) => q.pfcount(this.keys.metrics(d).people(ch)), this.redis.pipeline()))));
    const series = names.map((day, i) => dayStats(day, counts[i]!, Object.fromEntries(channelsOf[i]!.map((ch, j) => [ch, people[i]![j] as number]))));
    return {
      timeZone: 'Asia/Jakarta',
      days: series,
      totals: totalsOf(series, counts),
      topFlags: top(sumPrefixed(counts, 'flag:')).map(([id, count]) => ({ id, count })),
      topReported: top(sumPairs(reported)).map(([hash, count]) => ({ contact: hash.slice(0, SHOWN_HASH), count })),
      subscribers: await subscribers,
    };
  }

  private async subscriberCounts(subscribers: NonNullable<MetricsOptions['subscribers']>): Promise<Record<string, number>> {
    const counts = await Promise.all(LANGS.map((lang) => subscribers.count({ lang })));
    return Object.fromEntries(LANGS.map((lang, i) => [lang, counts[i]!]));
  }
}

async function exec(p: ReturnType<RedisClient['pipeline']>): Promise<unknown[]> {
  const res = (await p.exec()) ?? [];
  return res.map(([e, v]) => {
    if (e) throw e;
    return v;
  });
}

const numbers = (h: Record<string, string>): Record<string, number> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));

/** The counters whose names start with `prefix`, without it (those with a further ":" left out). */
function prefixed(c: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(c)) if (name.startsWith(prefix) && !name.slice(prefix.length).includes(':')) out[name.slice(prefix.length)] = v;
  return out;
}

function dayStats(day: string, c: Record<string, number>, conversations: Record<string, number>): DayStats {
  return {
    day,
    conversations,
    messages: prefixed(c, 'msg:'),
    offers: Object.fromEntries(VERDICTS.map((v) => [v, c[`offer:${v}`] ?? 0])) as Record<Verdict, number>,
    cases: { opened: c['case:opened'] ?? 0, urgent: c['case:urgent'] ?? 0, referred: c['case:referred'] ?? 0, closed: c['case:closed'] ?? 0 },
    pictures: { read: c['pic:read'] ?? 0, notRead: prefixed(c, 'pic:no:') },
    subscriptions: { new: prefixed(c, 'sub:new:'), stopped: c['sub:stopped'] ?? 0 },
    reports: c.reports ?? 0,
  };
}

/** Adds `from`'s numbers into `into` (maps of numbers, nested), in place. */
function addInto(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else addInto((into[k] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
  }
}

function totalsOf(series: DayStats[], counts: Record<string, number>[]): Dashboard['totals'] {
  const sum = dayStats('', {}, {}) as Partial<DayStats>;
  for (const { day: _, ...d } of series) addInto(sum as Record<string, unknown>, d);
  delete sum.day;
  return { ...(sum as Omit<DayStats, 'day'>), casesByKind: sumPrefixed(counts, 'case:kind:'), closedBy: sumPrefixed(counts, 'case:closed:') };
}

function sumPrefixed(counts: Record<string, number>[], prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) addInto(out, prefixed(c, prefix));
  return out;
}

/** A ZRANGE … WITHSCORES answer of each day ([member, score, member, score, …]) summed by member. */
function sumPairs(days: string[][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const flat of days) for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = (out[flat[i]!] ?? 0) + Number(flat[i + 1]);
  return out;
}

/** The largest `TOP`, largest first (ties by name, so the order is stable). */
function top(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, TOP);
}
