// Subscribers to prevention messages: who agreed to receive which topics, in which language, from
// which home region and for which destination. Compact in Redis (a million subscribers in well under
// 200 MB) and selectable by segment in one bit operation: every subscriber has a number, and each
// attribute value is a bitmap over those numbers.
//
// Keys (all under `{bc}`, one hash slot, see src/store/keys.ts):
//   next            the last subscriber number given
//   idx:<bucket>    keyed hash of "channel:user" → number (small hashes, so Redis packs them)
//   rec:<n >> 7>    number & 127 → "channel|lang|topics|region|destination|consented|opted out|last delivery|delivery before"
//   adr:<n >> 7>    number & 127 → the person's address on the channel, sealed (bytes)
//   on              bitmap: subscribed (to at least one topic) and not opted out
//   t:<topic> l:<lang> c:<channel> r:<region> d:<country>  bitmaps of the attribute values
// The person's address is sealed (DATA_ENCRYPTION_KEY); the lookup goes by a keyed hash, so no key or
// field names them. An opt-out keeps the number and its record (without topics): a later import of
// the same person is refused; only the person subscribing again from the chat undoes it.
import { createHmac } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import type { DataCipher } from '../store/cipher.js';
import type { Keyspace } from '../store/keys.js';

export const TOPICS = ['scam-alerts', 'safe-migration'] as const;
export type Topic = (typeof TOPICS)[number];
export const LANGS = ['id', 'en'] as const;

/** What is kept of a subscriber. */
export interface Subscription {
  channel: string;
  user: string;
  lang: string;
  topics: Topic[];
  /** Home region in Indonesia (ISO 3166-2:ID province code, e.g. NB), if given. */
  region: string | null;
  /** Destination country (ISO 3166-1 alpha-2), if given. */
  destination: string | null;
  consentedAt: number;
  optedOutAt: number | null;
  lastDeliveryAt: number | null;
  /** The delivery before the last (with the last: at most two a week, as the consent text promises). */
  previousDeliveryAt: number | null;
}

export type SubscriberInput = Pick<Subscription, 'channel' | 'user' | 'lang' | 'topics' | 'region' | 'destination' | 'consentedAt'>;

/** At most this many campaign messages to one person in `CAP_WINDOW_MS` (the consent text promises two a week). */
export const CAP_WINDOW_MS = 7 * 24 * 3600_000;

/** A segment: every given attribute must match (topics: any of them). Empty: every subscriber. */
export interface Segment {
  channel?: string;
  lang?: string;
  topics?: Topic[];
  region?: string;
  destination?: string;
}

export interface Subscribers {
  /** Subscribes (or updates) a person from the chat: this also undoes an earlier opt-out. */
  subscribe(s: SubscriberInput): Promise<'new' | 'updated'>;
  /** Adds a person who opted in elsewhere (an import): refused if they opted out here before. */
  add(s: SubscriberInput): Promise<'new' | 'updated' | 'opted_out'>;
  /** The same for many at once (a large import). */
  addMany?(rows: readonly SubscriberInput[]): Promise<('new' | 'updated' | 'opted_out')[]>;
  get(channel: string, user: string): Promise<Subscription | null>;
  /** Ends every topic at once; true if they were subscribed. */
  optOut(channel: string, user: string): Promise<boolean>;
  /** "Delete my data": the record goes; an opt-out is remembered by the keyed hash alone. */
  forget(channel: string, user: string): Promise<void>;
  count(segment: Segment): Promise<number>;
}

const REC_SHIFT = 7;
/** A subscriber's field in its record hashes. */
const field = (n: number) => String(n & ((1 << REC_SHIFT) - 1));
const IDX_BUCKETS = 16384;
/** Times in whole seconds, base 36 (six characters until 2038 and well after): records stay small. */
const sec = (ms: number | null) => (ms === null ? '' : Math.floor(ms / 1000).toString(36));
const ms = (s: string | undefined) => (s ? parseInt(s, 36) * 1000 : null);
/** One letter per topic in a record. */
const TOPIC_CODES: Record<Topic, string> = { 'scam-alerts': 'a', 'safe-migration': 'm' };
const TOPIC_OF = Object.fromEntries(Object.entries(TOPIC_CODES).map(([t, c]) => [c, t as Topic]));

/**
 * A record in two parts, each under Redis's 64 bytes for compact hashes (hash-max-listpack-value):
 * the plain fields "channel|lang|topics|region|destination|consented|opted out|last|before" and the
 * address, sealed as bytes.
 */
function encodePlain(s: Omit<Subscription, 'user'>): string {
  return [s.channel, s.lang, s.topics.map((t) => TOPIC_CODES[t]).join(''), s.region ?? '', s.destination ?? '', sec(s.consentedAt), sec(s.optedOutAt), sec(s.lastDeliveryAt), sec(s.previousDeliveryAt)].join('|');
}

function decodePlain(raw: string): Omit<Subscription, 'user'> {
  const [channel, lang, topics, region, destination, consented, opted, last, previous] = raw.split('|');
  return {
    channel: channel!,
    lang: lang!,
    topics: [...(topics ?? '')].map((c) => TOPIC_OF[c]).filter((t): t is Topic => t !== undefined),
    region: region || null,
    destination: destination || null,
    consentedAt: ms(consented) ?? 0,
    optedOutAt: ms(opted),
    lastDeliveryAt: ms(last),
    previousDeliveryAt: ms(previous),
  };
}

export function decodeSubscriber(cipher: DataCipher, plain: string, address: Buffer): Subscription {
  return { ...decodePlain(plain), user: cipher.openBytes(address) };
}

/** The bitmaps a subscription sets (its topics only while it is on). */
function bitsOf(k: BroadcastKeys, s: Omit<Subscription, 'user'>): string[] {
  const on = s.optedOutAt === null && s.topics.length > 0;
  const bits = [k.channel(s.channel), k.lang(s.lang)];
  if (s.region) bits.push(k.region(s.region));
  if (s.destination) bits.push(k.destination(s.destination));
  if (on) bits.push(k.on, ...s.topics.map((t) => k.topic(t)));
  return bits;
}

/**
 * id: KEYS[1] idx bucket, KEYS[2] next; ARGV[1] keyed reference, ARGV[2] create (1/0).
 * The subscriber number of a person, made when asked and missing; 0 when missing and not made.
 */
const NUMBER = `
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n then return tonumber(n) end
if ARGV[2] ~= '1' then return 0 end
n = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], n)
return n`;

type WithScripts = RedisClient & { bcNumber(idx: string, next: string, ref: string, create: string): Promise<number> };

export type BroadcastKeys = Keyspace['broadcast'];

export class RedisSubscribers implements Subscribers {
  private readonly r: WithScripts;
  private readonly k: BroadcastKeys;

  constructor(
    redis: RedisClient,
    keys: Keyspace,
    private readonly cipher: DataCipher,
    private readonly hashSecret: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!('bcNumber' in redis)) redis.defineCommand('bcNumber', { numberOfKeys: 2, lua: NUMBER });
    this.r = redis as WithScripts;
    this.k = keys.broadcast;
  }

  /** The keyed reference of a person (no key or field names them) and its index bucket. */
  ref(channel: string, user: string): { ref: string; bucket: string } {
    const h = createHmac('sha256', this.hashSecret).update(`${channel}:${user}`).digest();
    return { ref: h.subarray(2, 14).toString('base64url'), bucket: this.k.idx(h.readUInt16BE(0) % IDX_BUCKETS) };
  }

  private async number(channel: string, user: string, create: boolean): Promise<number> {
    const { ref, bucket } = this.ref(channel, user);
    return this.r.bcNumber(bucket, this.k.next, ref, create ? '1' : '0');
  }

  private async read(n: number): Promise<Subscription | null> {
    return (await this.records([n]))[0] ?? null;
  }

  /** The record's plain part alone (what a change needs to move the bits), or null. */
  private async plain(n: number): Promise<Omit<Subscription, 'user'> | null> {
    const raw = await this.r.hget(this.k.rec(n >> REC_SHIFT), field(n));
    return raw ? decodePlain(raw) : null;
  }

  /** Writes a record and moves its bits from `before` to `after`, in one transaction. */
  private async write(n: number, before: Omit<Subscription, 'user'> | null, after: Subscription | null): Promise<void> {
    const m = this.r.multi();
    for (const key of before ? bitsOf(this.k, before) : []) m.setbit(key, n, 0);
    if (after) {
      m.hset(this.k.rec(n >> REC_SHIFT), field(n), encodePlain(after));
      m.hset(this.k.address(n >> REC_SHIFT), field(n), this.cipher.sealBytes(after.user));
      for (const key of bitsOf(this.k, after)) m.setbit(key, n, 1);
    } else {
      m.hdel(this.k.rec(n >> REC_SHIFT), field(n));
      m.hdel(this.k.address(n >> REC_SHIFT), field(n));
    }
    const res = await m.exec();
    const failed = res?.find(([e]) => e);
    if (!res || failed) throw failed?.[0] ?? new Error('subscriber not written');
  }

  async subscribe(s: SubscriberInput): Promise<'new' | 'updated'> {
    const n = await this.number(s.channel, s.user, true);
    const before = await this.plain(n);
    // Subscribing again in the chat undoes an opt-out.
    await this.r.setbit(this.k.optedOut, n, 0);
    await this.write(n, before, { ...s, optedOutAt: null, lastDeliveryAt: before?.lastDeliveryAt ?? null, previousDeliveryAt: before?.previousDeliveryAt ?? null });
    return before ? 'updated' : 'new';
  }

  async add(s: SubscriberInput): Promise<'new' | 'updated' | 'opted_out'> {
    const n = await this.number(s.channel, s.user, true);
    const before = await this.plain(n);
    if (before?.optedOutAt != null || (before === null && (await this.r.getbit(this.k.optedOut, n)) === 1)) return 'opted_out';
    await this.write(n, before, { ...s, optedOutAt: null, lastDeliveryAt: before?.lastDeliveryAt ?? null, previousDeliveryAt: before?.previousDeliveryAt ?? null });
    return before ? 'updated' : 'new';
  }

  /**
   * Adds many people at once (a large import): the same rules as `add`, three pipelined round trips
   * per call instead of three per person. Returns each one's outcome, in order.
   */
  async addMany(rows: readonly SubscriberInput[]): Promise<('new' | 'updated' | 'opted_out')[]> {
    const refs = rows.map((s) => this.ref(s.channel, s.user));
    const p1 = this.r.pipeline();
    for (const { ref, bucket } of refs) (p1 as unknown as WithScripts).bcNumber(bucket, this.k.next, ref, '1');
    const numbers = ((await p1.exec()) ?? []).map(([e, n]) => {
      if (e) throw e;
      return Number(n);
    });
    const p2 = this.r.pipeline();
    for (const n of numbers) p2.hget(this.k.rec(n >> REC_SHIFT), field(n)).getbit(this.k.optedOut, n);
    const got = (await p2.exec()) ?? [];
    const m = this.r.multi();
    const out = rows.map((s, i) => {
      const n = numbers[i]!;
      const raw = got[2 * i]?.[1] as string | null;
      const before = raw ? decodePlain(raw) : null;
      if (before?.optedOutAt != null || (!before && got[2 * i + 1]?.[1] === 1)) return 'opted_out' as const;
      const after: Subscription = { ...s, optedOutAt: null, lastDeliveryAt: before?.lastDeliveryAt ?? null, previousDeliveryAt: before?.previousDeliveryAt ?? null };
      for (const key of before ? bitsOf(this.k, before) : []) m.setbit(key, n, 0);
      m.hset(this.k.rec(n >> REC_SHIFT), field(n), encodePlain(after));
      m.hset(this.k.address(n >> REC_SHIFT), field(n), this.cipher.sealBytes(after.user));
      for (const key of bitsOf(this.k, after)) m.setbit(key, n, 1);
      return before ? ('updated' as const) : ('new' as const);
    });
    const res = await m.exec();
    const failed = res?.find(([e]) => e);
    if (!res || failed) throw failed?.[0] ?? new Error('subscribers not written');
    return out;
  }

  async get(channel: string, user: string): Promise<Subscription | null> {
    const n = await this.number(channel, user, false);
    return n ? this.read(n) : null;
  }

  async optOut(channel: string, user: string): Promise<boolean> {
    // Someone never subscribed is recorded too (by number only): a later import does not add them.
    const n = await this.number(channel, user, true);
    const before = await this.read(n);
    await this.r.setbit(this.k.optedOut, n, 1);
    if (!before) return false;
    const was = before.optedOutAt === null && before.topics.length > 0;
    await this.write(n, before, { ...before, topics: [], optedOutAt: before.optedOutAt ?? this.now() });
    return was;
  }

  async forget(channel: string, user: string): Promise<void> {
    const n = await this.number(channel, user, false);
    if (!n) return;
    const before = await this.read(n);
    // The opt-out stays (by number only), so that a later import does not write to them again.
    if (before?.optedOutAt != null) await this.r.setbit(this.k.optedOut, n, 1);
    await this.write(n, before, null);
  }

  /** The bitmap keys whose AND is the segment's members (topics OR'd into a temporary key first). */
  async select(segment: Segment, into: string, ttlS = 3600): Promise<void> {
    const k = this.k;
    const and = [k.on];
    if (segment.channel) and.push(k.channel(segment.channel));
    if (segment.lang) and.push(k.lang(segment.lang));
    if (segment.region) and.push(k.region(segment.region));
    if (segment.destination) and.push(k.destination(segment.destination));
    const m = this.r.multi();
    if (segment.topics?.length) {
      m.bitop('OR', into, ...segment.topics.map((t) => k.topic(t)));
      and.push(into);
    }
    m.bitop('AND', into, ...and);
    m.expire(into, ttlS);
    await m.exec();
  }

  async count(segment: Segment): Promise<number> {
    const tmp = this.k.scratch(`count:${process.pid}:${Math.random().toString(36).slice(2)}`);
    try {
      await this.select(segment, tmp, 60);
      return await this.r.bitcount(tmp);
    } finally {
      await this.r.del(tmp);
    }
  }

  /** The records of subscriber numbers (in order), null where there is none. */
  async records(numbers: readonly number[]): Promise<(Subscription | null)[]> {
    const p = this.r.pipeline();
    for (const n of numbers) p.hget(this.k.rec(n >> REC_SHIFT), field(n)).hgetBuffer(this.k.address(n >> REC_SHIFT), field(n));
    const res = (await p.exec()) ?? [];
    return numbers.map((_, i) => {
      const [e1, plain] = res[2 * i] ?? [];
      const [e2, address] = res[2 * i + 1] ?? [];
      if (e1 || e2 || typeof plain !== 'string' || !Buffer.isBuffer(address)) return null;
      try {
        return decodeSubscriber(this.cipher, plain, address);
      } catch {
        return null;
      }
    });
  }

  /** Records a delivery's time on the subscriber (the last two are kept, for the weekly cap). */
  async delivered(n: number, s: Subscription, at = this.now()): Promise<void> {
    await this.r.hset(this.k.rec(n >> REC_SHIFT), field(n), encodePlain({ ...s, lastDeliveryAt: at, previousDeliveryAt: s.lastDeliveryAt }));
  }
}

/** The same in memory (the demo and the terminal chat keep nothing). */
export class MemorySubscribers implements Subscribers {
  private readonly subs = new Map<string, Subscription>();
  private readonly opted = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  async subscribe(s: SubscriberInput): Promise<'new' | 'updated'> {
    const key = `${s.channel}:${s.user}`;
    const before = this.subs.get(key);
    this.opted.delete(key);
    this.subs.set(key, { ...s, optedOutAt: null, lastDeliveryAt: before?.lastDeliveryAt ?? null, previousDeliveryAt: before?.previousDeliveryAt ?? null });
    return before ? 'updated' : 'new';
  }

  async add(s: SubscriberInput): Promise<'new' | 'updated' | 'opted_out'> {
    if (this.opted.has(`${s.channel}:${s.user}`)) return 'opted_out';
    return this.subscribe(s);
  }

  async get(channel: string, user: string): Promise<Subscription | null> {
    return this.subs.get(`${channel}:${user}`) ?? null;
  }

  async optOut(channel: string, user: string): Promise<boolean> {
    const key = `${channel}:${user}`;
    this.opted.add(key);
    const s = this.subs.get(key);
    if (!s) return false;
    const was = s.optedOutAt === null && s.topics.length > 0;
    this.subs.set(key, { ...s, topics: [], optedOutAt: s.optedOutAt ?? this.now() });
    return was;
  }

  async forget(channel: string, user: string): Promise<void> {
    this.subs.delete(`${channel}:${user}`);
  }

  async count(segment: Segment): Promise<number> {
    let n = 0;
    for (const s of this.subs.values()) {
      if (s.optedOutAt !== null || !s.topics.length) continue;
      if (segment.channel && s.channel !== segment.channel) continue;
      if (segment.lang && s.lang !== segment.lang) continue;
      if (segment.region && s.region !== segment.region) continue;
      if (segment.destination && s.destination !== segment.destination) continue;
      if (segment.topics?.length && !segment.topics.some((t) => s.topics.includes(t))) continue;
      n++;
    }
    return n;
  }
}
