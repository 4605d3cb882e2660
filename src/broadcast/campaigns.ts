// Campaigns: a prevention message per language, sent by staff to a segment of subscribers through
// the outbox, at most once per person, paced so that the outbox never holds more than a few seconds
// of a channel's sending, with replies to live conversations always ahead (bulk priority).
//
// A campaign is a Redis hash (its texts, segment, state and counts). When it starts, its recipients
// are fixed as a bitmap over subscriber numbers (`targets`); a second bitmap (`done`) marks those
// handed to the outbox. Each hand-over carries the idempotency key `bc:<campaign>:<number>`: a run
// killed between the hand-over and its mark finds the key taken and does not queue the message again.
// A person who opted out since the start is skipped (counted); one in quiet hours (21:00 to 07:00
// where they live) waits for the morning unless the campaign is urgent.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import type { Lang, MediaRef, Reply } from '../engine/types.js';
import { silentLogger, type Logger } from '../log.js';
import type { DeliverResult, RedisOutbox } from '../outbox/outbox.js';
import type { Recipient } from '../channels/port.js';
import type { MediaStore } from '../store/media.js';
import type { Keyspace } from '../store/keys.js';
import { CAP_WINDOW_MS, TOPICS, type RedisSubscribers, type Segment, type Subscription, type Topic } from './subscribers.js';

export const CAMPAIGN_STATES = ['scheduled', 'running', 'paused', 'cancelled', 'done'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
export const MAX_TEXT = 3500;
/** Local hours in which campaigns write to nobody (from 21:00 until 07:00 by default). */
export interface QuietHours {
  from: number;
  until: number;
}
export const DEFAULT_QUIET: QuietHours = { from: 21, until: 7 };

export interface CampaignInput {
  /** The message per language (id, en); at least one. */
  texts: Partial<Record<Lang, string>>;
  segment: Segment;
  /** Send to people whose language has no text in Indonesian (only when staff allow it). */
  fallbackToId?: boolean;
  /** Ignores quiet hours (a warning that cannot wait). */
  urgent?: boolean;
  /** When to start (ms); now if absent. */
  at?: number;
  /** A picture or short video sent with the message as its caption (kept by MediaStore). */
  media?: MediaRef;
  by: string;
}

export interface Campaign extends Required<Omit<CampaignInput, 'at' | 'media'>> {
  id: string;
  at: number;
  media: MediaRef | null;
  createdAt: number;
  state: CampaignState;
  /** What the run did (targets ... waiting_quiet_hours), then what the platforms made of it (sent ... expired). */
  counts: Record<CampaignCount | OutcomeCount, number>;
}

/** Counted by the campaign's run: recipients fixed at the start, then what became of each. */
/** withheld: the person is in safety mode (someone else may read their phone): nothing is sent to them unasked. */
export const COUNTS = ['targets', 'queued', 'duplicate', 'gone', 'withheld', 'opted_out_since', 'no_text', 'unreadable', 'weekly_cap', 'waiting_quiet_hours'] as const;
export type CampaignCount = (typeof COUNTS)[number];
/**
 * Counted by the outbox as the platforms answer (every channel together): sent (written to the
 * platform, including those in doubt after a crash), failed (refused), unreachable (the person
 * blocked us, or the registry knew them gone when the campaign came to them), expired (not sendable
 * within the outbox's age limit).
 */
export const OUTCOMES = ['sent', 'failed', 'unreachable', 'expired'] as const;
export type OutcomeCount = (typeof OUTCOMES)[number];

export class CampaignError extends Error {}

/** A segment written as `lang=id,topic=scam-alerts,channel=<name>,region=NB,destination=MY`. */
export function parseSegment(spec: string): Segment {
  const seg: Segment = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=').map((x) => x?.trim() ?? '');
    if (!k || !v) throw new CampaignError(`segment: "${part}" is not key=value`);
    if (k === 'lang' || k === 'language') seg.lang = v;
    else if (k === 'topic' || k === 'topics') {
      const topics = v.split('|') as Topic[];
      for (const t of topics) if (!TOPICS.includes(t)) throw new CampaignError(`segment: unknown topic "${t}" (topics: ${TOPICS.join(', ')})`);
      seg.topics = topics;
    } else if (k === 'channel') seg.channel = v;
    else if (k === 'region') seg.region = v.toUpperCase();
    else if (k === 'destination' || k === 'country') seg.destination = v.toUpperCase();
    else throw new CampaignError(`segment: unknown key "${k}" (lang, topic, channel, region, destination)`);
  }
  return seg;
}

/** The hour (0-23) at `at` in a time zone. */
function hourIn(tz: string, at: number): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: 'numeric', hourCycle: 'h23' }).format(at));
}

/** How long until quiet hours end where the person lives (ms); 0 outside them. */
export function quietFor(tz: string, at: number, quiet: QuietHours | null = DEFAULT_QUIET): number {
  if (!quiet || quiet.from === quiet.until) return 0;
  const h = hourIn(tz, at);
  const inQuiet = quiet.from > quiet.until ? h >= quiet.from || h < quiet.until : h >= quiet.from && h < quiet.until;
  if (!inQuiet) return 0;
  const hours = (quiet.until - h + 24) % 24;
  return hours * 3_600_000 - (at % 3_600_000);
}

export interface CampaignDeps {
  redis: RedisClient;
  keys: Keyspace;
  subscribers: RedisSubscribers;
  outbox: RedisOutbox;
  /** Where a campaign's picture or video is kept (its time there is extended while the campaign runs). */
  media?: MediaStore;
  /** Time zone of a subscriber (from region, else destination; Indonesia's WIB when neither). */
  timeZone: (s: Subscription) => string;
  log?: Logger;
  now?: () => number;
  /** Seconds of a channel's sending the outbox may hold for campaigns at once. */
  backlogSeconds?: number;
  /** Null: no quiet hours (BROADCAST_QUIET_HOURS=off). */
  quietHours?: QuietHours | null;
}

/** What a run did: finished, or stopped to wait (paused, quiet hours) until `at`. */
export type RunOutcome = { done: true } | { done: false; wakeAt: number; why: 'paused' | 'quiet_hours' } | { done: true; cancelled: true };

/** A campaign's message as the engine's reply: the text (caption of its picture or video), marked as a campaign's. */
export function campaignReply(text: string, media: MediaRef | null): Reply {
  return { say: [{ key: 'broadcast.message', vars: { text } }], campaign: true, plain: text, ...(media ? { media } : {}) };
}

const BITS_PER_READ = 8 * 4096;
const BATCH = 64;

export class Campaigns {
  private readonly r: RedisClient;
  private readonly k: Keyspace['broadcast'];
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly d: CampaignDeps) {
    this.r = d.redis;
    this.k = d.keys.broadcast;
    this.log = d.log ?? silentLogger;
    this.now = d.now ?? Date.now;
  }

  /** Checks and stores a campaign (scheduled); the queue starts it at its time. */
  async create(input: CampaignInput): Promise<Campaign> {
    const texts = Object.fromEntries(Object.entries(input.texts).filter(([, t]) => t && t.trim())) as Partial<Record<Lang, string>>;
    if (!Object.keys(texts).length) throw new CampaignError('a campaign needs a message in at least one language');
    for (const [lang, t] of Object.entries(texts)) {
      if (lang !== 'id' && lang !== 'en') throw new CampaignError(`no language "${lang}" (id, en)`);
      if (t!.length > MAX_TEXT) throw new CampaignError(`the ${lang} message is ${t!.length} characters; at most ${MAX_TEXT}`);
    }
    this.check(texts, input.media ?? null, input.segment);
    const now = this.now();
    const id = `C${new Date(now).toISOString().slice(2, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
    const c: Campaign = {
      id,
      texts,
      segment: input.segment,
      fallbackToId: input.fallbackToId ?? false,
      urgent: input.urgent ?? false,
      at: input.at ?? now,
      media: input.media ?? null,
      by: input.by,
      createdAt: now,
      state: 'scheduled',
      counts: Object.fromEntries([...COUNTS, ...OUTCOMES].map((n) => [n, 0])) as Campaign['counts'],
    };
    await this.r
      .multi()
      .hset(this.k.campaign(id), {
        texts: JSON.stringify(c.texts),
        segment: JSON.stringify(c.segment),
        fallback: c.fallbackToId ? '1' : '0',
        urgent: c.urgent ? '1' : '0',
        at: String(c.at),
        by: c.by,
        created: String(now),
        state: 'scheduled',
        ...(c.media ? { media: JSON.stringify(c.media) } : {}),
      })
      .zadd(this.k.campaigns, now, id)
      .exec();
    return c;
  }

  /**
   * Refuses what a channel the segment reaches could not send: a picture or video over its platform's
   * limits (or a channel that sends none), a text its campaign form cannot carry. Staff narrow the
   * segment to the channels that can (channel=...).
   */
  private check(texts: Partial<Record<Lang, string>>, media: MediaRef | null, segment: Segment): void {
    for (const channel of this.d.outbox.channels()) {
      if (segment.channel && segment.channel !== channel) continue;
      const sender = this.d.outbox.sender(channel)!;
      const narrow = `; leave this channel out of the segment (channel=...) to send it elsewhere`;
      if (media) {
        const problem = sender.mediaProblem ? sender.mediaProblem(media) : 'this channel sends no pictures or videos';
        if (problem) throw new CampaignError(`${channel}: ${problem}${narrow}`);
      }
      for (const [lang, text] of Object.entries(texts)) {
        const problem = sender.campaignProblem?.({ text: text!, plain: text!, campaign: true, ...(media ? { media } : {}) });
        if (problem) throw new CampaignError(`${channel} (${lang}): ${problem}${narrow}`);
      }
    }
  }

  /**
   * Sends the campaign's message, in each of its languages, to one chat (a staff member's own) now,
   * exactly as subscribers would get it: the same checks, the same form (a template where the platform
   * needs one), no quiet hours, no segment, nothing counted. Returns what the outbox did per language.
   */
  async testSend(input: Pick<CampaignInput, 'texts' | 'media'>, to: Recipient): Promise<Partial<Record<Lang, DeliverResult>>> {
    const texts = Object.fromEntries(Object.entries(input.texts).filter(([, t]) => t && t.trim())) as Partial<Record<Lang, string>>;
    if (!Object.keys(texts).length) throw new CampaignError('a test needs a message in at least one language');
    if (!this.d.outbox.serves(to.channel)) throw new CampaignError(`no channel "${to.channel}" here (${this.d.outbox.channels().join(', ')})`);
    for (const [lang, t] of Object.entries(texts)) if (t!.length > MAX_TEXT) throw new CampaignError(`the ${lang} message is ${t!.length} characters; at most ${MAX_TEXT}`);
    this.check(texts, input.media ?? null, { channel: to.channel });
    const out: Partial<Record<Lang, DeliverResult>> = {};
    for (const [lang, text] of Object.entries(texts) as [Lang, string][]) {
      out[lang] = await this.d.outbox.deliver(to, [{ lang, reply: campaignReply(text, input.media ?? null) }], { priority: 'reply' });
    }
    return out;
  }

  /** The quiet hours campaigns keep (BROADCAST_QUIET_HOURS); null: none. */
  get quietHours(): QuietHours | null {
    return this.d.quietHours === undefined ? DEFAULT_QUIET : this.d.quietHours;
  }

  /** The latest campaigns, newest first. */
  async list(limit = 50): Promise<Campaign[]> {
    const ids = await this.r.zrevrange(this.k.campaigns, 0, limit - 1);
    return (await Promise.all(ids.map((id) => this.get(id)))).filter((c): c is Campaign => c !== null);
  }

  async get(id: string): Promise<Campaign | null> {
    const h = await this.r.hgetall(this.k.campaign(id));
    if (!h.state) return null;
    const outcomes = { sent: 0, failed: 0, unreachable: Number(h['n:gone'] ?? 0), expired: 0 };
    // Withheld when handed over (safety mode on already) or when it came to be sent (switched on since).
    let withheld = 0;
    for (const t of Object.values(await this.d.outbox.tagCounts(id))) {
      outcomes.sent += t.sent + t.in_doubt;
      outcomes.failed += t.failed;
      outcomes.unreachable += t.gone;
      outcomes.expired += t.expired;
      withheld += t.withheld;
    }
    return {
      id,
      texts: JSON.parse(h.texts ?? '{}') as Campaign['texts'],
      segment: JSON.parse(h.segment ?? '{}') as Segment,
      fallbackToId: h.fallback === '1',
      urgent: h.urgent === '1',
      at: Number(h.at),
      media: h.media ? (JSON.parse(h.media) as MediaRef) : null,
      by: h.by ?? '',
      createdAt: Number(h.created),
      state: h.state as CampaignState,
      counts: { ...(Object.fromEntries(COUNTS.map((n) => [n, Number(h[`n:${n}`] ?? 0) + (n === 'withheld' ? withheld : 0)])) as Record<CampaignCount, number>), ...outcomes },
    };
  }

  /** Recipients per channel and language, without sending anything. */
  async dryRun(segment: Segment, channels: readonly string[]): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const channel of channels) {
      out[channel] = {};
      for (const lang of ['id', 'en']) {
        if (segment.lang && segment.lang !== lang) continue;
        if (segment.channel && segment.channel !== channel) continue;
        out[channel]![lang] = await this.d.subscribers.count({ ...segment, channel, lang });
      }
    }
    return out;
  }

  /** Pause, resume or cancel; returns the new state. A finished or cancelled campaign stays as it is. */
  async setState(id: string, to: 'paused' | 'running' | 'cancelled'): Promise<CampaignState> {
    const c = await this.get(id);
    if (!c) throw new CampaignError(`no campaign ${id}`);
    if (c.state === 'done' || c.state === 'cancelled') return c.state;
    // Resuming a campaign that never started puts it back to scheduled (the queue starts it).
    const next = to === 'running' && !(await this.r.exists(this.k.campaignTargets(id))) ? 'scheduled' : to;
    await this.r.hset(this.k.campaign(id), 'state', next);
    return next;
  }

  private count(id: string, what: CampaignCount, n = 1): void {
    if (n) this.r.hincrby(this.k.campaign(id), `n:${what}`, n).catch(() => undefined);
  }

  /**
   * Runs a campaign from where it stands: fixes its recipients when it first starts, then hands each
   * one not yet done to the outbox, keeping the outbox's campaign backlog small. Safe to run again
   * after a crash, and from another process: nobody is queued twice.
   */
  async run(id: string, progress?: (done: number, targets: number) => Promise<void> | void): Promise<RunOutcome> {
    const c = await this.get(id);
    if (!c) throw new CampaignError(`no campaign ${id}`);
    if (c.state === 'cancelled') return { done: true, cancelled: true };
    if (c.state === 'done') return { done: true };
    if (c.state === 'paused') return { done: false, wakeAt: this.now() + 5000, why: 'paused' };
    if (c.media && this.d.media && !(await this.d.media.touch(c.media.id))) {
      // The file is no longer kept (a campaign left paused for two months): nothing can be sent.
      this.log.error({ campaign: id }, 'campaign picture or video no longer kept; campaign cancelled');
      await this.r.hset(this.k.campaign(id), 'state', 'cancelled', 'why', 'media_gone');
      return { done: true, cancelled: true };
    }
    const targets = this.k.campaignTargets(id);
    const done = this.k.campaignDone(id);
    if (!(await this.r.exists(targets))) {
      await this.d.subscribers.select(c.segment, targets, 60 * 24 * 3600);
      const n = await this.r.bitcount(targets);
      await this.r.hset(this.k.campaign(id), 'n:targets', n, 'state', 'running', 'started', this.now());
      this.log.info({ campaign: id, targets: n }, 'campaign started');
    } else await this.r.hset(this.k.campaign(id), 'state', 'running');
    const total = await this.r.bitcount(targets);
    let wakeAt = Infinity;
    let handed = await this.r.bitcount(done);
    const len = await this.r.strlen(targets);
    for (let byte = 0; byte < len; byte += BITS_PER_READ / 8) {
      const end = byte + BITS_PER_READ / 8 - 1;
      const [t, dn, on] = await Promise.all([
        this.r.getrangeBuffer(targets, byte, end),
        this.r.getrangeBuffer(done, byte, end),
        this.r.getrangeBuffer(this.k.on, byte, end),
      ]);
      const due: number[] = [];
      let optedOut = 0;
      for (let i = 0; i < t.length; i++) {
        const pending = t[i]! & ~(dn[i] ?? 0);
        if (!pending) continue;
        for (let b = 0; b < 8; b++) {
          if (!(pending & (0x80 >> b))) continue;
          const n = (byte + i) * 8 + b;
          if ((on[i] ?? 0) & (0x80 >> b)) due.push(n);
          else optedOut++;
        }
      }
      if (optedOut) {
        // Opted out since the start: never sent; marked done so that they are counted once.
        const m = this.r.multi();
        for (let i = 0; i < t.length; i++) {
          const skip = t[i]! & ~(dn[i] ?? 0) & ~(on[i] ?? 0);
          for (let b = 0; b < 8; b++) if (skip & (0x80 >> b)) m.setbit(done, (byte + i) * 8 + b, 1);
        }
        await m.exec();
        this.count(id, 'opted_out_since', optedOut);
        handed += optedOut;
      }
      for (let i = 0; i < due.length; i += BATCH) {
        const state = await this.r.hget(this.k.campaign(id), 'state');
        if (state === 'cancelled') return { done: true, cancelled: true };
        if (state === 'paused') return { done: false, wakeAt: this.now() + 5000, why: 'paused' };
        const batch = due.slice(i, i + BATCH);
        const wait = await this.handOver(c, batch);
        handed += batch.length - (wait.length);
        for (const w of wait) wakeAt = Math.min(wakeAt, w);
        await progress?.(handed, total);
      }
    }
    if (wakeAt !== Infinity) return { done: false, wakeAt, why: 'quiet_hours' };
    await this.r.hset(this.k.campaign(id), 'state', 'done', 'finished', this.now());
    this.log.info({ campaign: id, targets: total }, 'campaign handed to the outbox in full');
    return { done: true };
  }

  /** Hands one batch to the outbox; returns when those left for quiet hours may be sent (one per person left). */
  private async handOver(c: Campaign, batch: number[]): Promise<number[]> {
    const records = await this.d.subscribers.records(batch);
    const now = this.now();
    const later: number[] = [];
    const byChannel = new Map<string, number>();
    for (const s of records) if (s) byChannel.set(s.channel, (byChannel.get(s.channel) ?? 0) + 1);
    for (const [channel, n] of byChannel) await this.room(channel, n);
    const done = this.k.campaignDone(c.id);
    await Promise.all(
      batch.map(async (n, i) => {
        const s = records[i];
        const mark = () => this.r.setbit(done, n, 1);
        if (!s) {
          this.count(c.id, 'unreadable');
          return mark();
        }
        const lang = (c.texts[s.lang as Lang] ? s.lang : c.fallbackToId && c.texts.id ? 'id' : null) as Lang | null;
        if (!lang || !this.d.outbox.serves(s.channel)) {
          this.count(c.id, 'no_text');
          return mark();
        }
        // At most two campaign messages a week to anyone (the consent text promises it), urgent or not.
        if (s.previousDeliveryAt !== null && s.previousDeliveryAt > now - CAP_WINDOW_MS) {
          this.count(c.id, 'weekly_cap');
          return mark();
        }
        if (!c.urgent) {
          const quiet = quietFor(this.d.timeZone(s), now, this.quietHours);
          if (quiet > 0) {
            later.push(now + quiet);
            return;
          }
        }
        const result = await this.d.outbox.deliver({ channel: s.channel, user: s.user }, [{ lang, reply: campaignReply(c.texts[lang]!, c.media) }], {
          key: `bc:${c.id}:${n}`,
          priority: 'bulk',
          tag: c.id,
        });
        this.count(c.id, result);
        await mark();
        if (result === 'queued') await this.d.subscribers.delivered(n, s, now).catch(() => undefined);
      }),
    );
    if (later.length) this.count(c.id, 'waiting_quiet_hours', later.length);
    return later;
  }

  /** Waits until the outbox holds little enough of this channel's sending to add `n` more. */
  private async room(channel: string, n: number): Promise<void> {
    const perSecond = this.d.outbox.limitsOf(channel)?.perSecond ?? 30;
    const most = Math.max(n, Math.ceil(perSecond * (this.d.backlogSeconds ?? 3)));
    for (;;) {
      const pending = (await this.d.outbox.counts([channel]))[channel]?.pending ?? 0;
      if (pending + n <= most) return;
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(100, ((pending + n - most) / perSecond) * 1000))));
    }
  }
}
