// The durable outbox against the real Redis, with a platform stand-in that records every send and
// answers as told (ok, 429, failure, gone, refused, or never).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelLimits, ChannelSender, SendHooks, SendResult } from '../../src/channels/port.js';
import type { Outbound } from '../../src/content/render.js';
import { RedisOutbox, type OutboxItem, type OutboxOptions } from '../../src/outbox/outbox.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

interface Sent {
  to: string;
  text: string;
  at: number;
}

/** A platform: records sends; `answer` decides each outcome (default ok). */
class FakePlatform implements ChannelSender {
  readonly name = 'fake';
  readonly sent: Sent[] = [];
  readonly attempts: Sent[] = [];
  answer: (to: string, text: string, attempt: number) => SendResult | 'hang' | 'written-then-hang' = () => ({ ok: true });
  /** Runs before a message's bytes are written (a sender held up between its claim and the network). */
  beforeWrite: (to: string) => Promise<void> | void = () => undefined;
  private readonly counts = new Map<string, number>();

  constructor(readonly limits: ChannelLimits = { perSecond: 1000, perChatPerSecond: 1000, perChatBurst: 10 }) {}

  render(m: Outbound): unknown[] {
    return [{ text: m.text }];
  }

  async send(to: string, message: string, hooks?: SendHooks): Promise<SendResult> {
    const text = (JSON.parse(message) as { text: string }).text;
    const key = `${to}|${text}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    const a = this.answer(to, text, n);
    this.attempts.push({ to, text, at: Date.now() });
    if (a === 'hang') return new Promise(() => undefined);
    await this.beforeWrite(to);
    hooks?.written();
    if (a === 'written-then-hang') return new Promise(() => undefined);
    if (a.ok) this.sent.push({ to, text, at: Date.now() });
    return a;
  }

  texts(to: string): string[] {
    return this.sent.filter((s) => s.to === to).map((s) => s.text);
  }
}

const cipher = DataCipher.throwaway();
const item = (text: string): OutboxItem => ({ lang: 'id', reply: { say: [{ key: text }] } });
const render = (_lang: string, r: { say: unknown[] }): Outbound => ({ text: (r.say as { key: string }[]).map((s) => s.key).join(' ') });

describe('the durable outbox', () => {
  let redis: Redis;
  const prefix = testPrefix('outbox');
  const started: RedisOutbox[] = [];
  const clients: Redis[] = [];
  let n = 0;

  async function outbox(platform: FakePlatform, opts: Partial<OutboxOptions> = {}, client?: Redis) {
    const keys = keyspace(`${prefix}:${opts.keys ? '' : n}`);
    const o = new RedisOutbox({ redis: client ?? redis, keys, channels: [platform], render, cipher, recipients: new RedisRecipients(client ?? redis, keys), idlePollMs: 50, ...opts });
    started.push(o);
    return { o, keys };
  }

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
  });
  afterAll(async () => {
    await Promise.all(started.map((o) => o.stop(0)));
    await dropPrefix(redis, prefix);
    redis.disconnect();
    for (const c of clients) c.disconnect();
  });

  /**
   * A sender with one message hanging in flight (to "slow"), so that it gathers outcomes for a batch,
   * here for a minute; `text` has just been sent to "quick" and its outcome waits in that batch.
   */
  async function batchingBesideAHang(text: string) {
    n++;
    const p = new FakePlatform();
    const { o } = await outbox(p, { ackBatchMs: 60_000, emptyPollMs: 60_000 });
    p.answer = (to) => (to === 'slow' ? 'hang' : { ok: true });
    await o.start();
    await o.deliver({ channel: 'fake', user: 'slow' }, [item('still going')]);
    await o.deliver({ channel: 'fake', user: 'quick' }, [item(text)]);
    while (!p.texts('quick').includes(text)) await new Promise((r) => setImmediate(r));
    return { o, p };
  }

  /**
   * Its own connection to Redis, on which each outbox script with `keyCount` keys (6: outcomes, 7:
   * claims) goes through `refuse` first: an error it returns is Redis's answer instead.
   */
  async function refusing(keyCount: number, refuse: () => Error | null) {
    const client = await connectRedis(REDIS_URL);
    clients.push(client);
    const sendCommand = client.sendCommand.bind(client);
    client.sendCommand = ((command: { name: string; args: unknown[]; reject: (e: Error) => void; promise: Promise<unknown> }) => {
      if ((command.name === 'evalsha' || command.name === 'eval') && String(command.args[1]) === String(keyCount)) {
        const e = refuse();
        if (e) {
          command.reject(e);
          return command.promise;
        }
      }
      return sendCommand(command as never);
    }) as typeof client.sendCommand;
    return client;
  }

  it('sends one person’s messages in the order they were queued, each once', async () => {
    n++;
    const p = new FakePlatform();
    const { o } = await outbox(p);
    await o.deliver({ channel: 'fake', user: '1' }, [item('a'), item('b')]);
    await o.deliver({ channel: 'fake', user: '1' }, [item('c')]);
    await o.deliver({ channel: 'fake', user: '2' }, [item('x')]);
    await o.start();
    await expect.poll(() => p.sent.length).toBe(4);
    expect(p.texts('1')).toEqual(['a', 'b', 'c']);
    expect(p.texts('2')).toEqual(['x']);
    await expect.poll(async () => (await o.counts()).fake!.pending).toBe(0);
    expect((await o.counts()).fake).toMatchObject({ queued: 4, sent: 4 });
  });

  it('a message held up between its claim and the network takes the channel\'s next slot: the channel loses one slot, not as long as the hold-up, unless it is too late for one slot to make up for it', async () => {
    n++;
    // 2 a second: a slot every 1000 / (2 * 0.975) ms.
    const p = new FakePlatform({ perSecond: 2, perChatPerSecond: 1000, perChatBurst: 10 });
    const { o, keys } = await outbox(p);
    const rate = keys.outbox('fake').rate;
    const interval = 1000 / (2 * 0.975);
    const seen: Record<string, number> = {};
    p.beforeWrite = async (to) => {
      // The channel's next free slot as this message's claim left it; then 'late' is held up 80 ms,
      // 'later' 700 ms (more than 1000 + 20 - 513 ms: past what one slot makes up for at 2 a second).
      seen[to] = Number(await redis.get(rate));
      if (to === 'late') await new Promise((r) => setTimeout(r, 80));
      if (to === 'later') await new Promise((r) => setTimeout(r, 700));
    };
    // When each message's bytes were written (after the outbox's own look at the time).
    const wrote: Record<string, number> = {};
    const send = p.send.bind(p);
    p.send = (to, message, hooks) => send(to, message, { written: () => (hooks?.written(), (wrote[to] = performance.now())) });
    await o.start();
    const handed = performance.now();
    await o.deliver({ channel: 'fake', user: 'on-time' }, [item('a')]);
    await expect.poll(() => p.sent.length).toBe(1);
    // On time: its slot was the one it claimed; nothing else is taken. Its way out holds two Redis round
    // trips (its queueing and the look above): a test process held up over 20 ms on the way (a loaded
    // machine) made it late, and then it rightly took one more slot too.
    const onTimeMoved = Number(await redis.get(rate)) - seen['on-time']!;
    if (wrote['on-time']! - handed <= 20) expect(onTimeMoved).toBe(0);
    else expect([0, interval].some((m) => Math.abs(onTimeMoved - m) < 0.005)).toBe(true);
    await o.deliver({ channel: 'fake', user: 'late' }, [item('b')]);
    // Due about a slot (513 ms) after the first, two if that one took one more; then held up 80 ms.
    await expect.poll(() => p.sent.length, { timeout: 5000 }).toBe(2);
    // Late by 80 ms: one more slot is taken (the next free one moves one interval on), where pushing
    // the slots back by its lateness would have moved it 70 ms.
    await expect.poll(async () => Number(await redis.get(rate))).not.toBe(seen.late);
    expect(Number(await redis.get(rate)) - seen.late!).toBeCloseTo(interval, 2);
    // Late by 700 ms at 2 a second: a second ending at its write may hold neither its own slot nor the
    // one it takes, so the slots after it are pushed back by its lateness (less 10 ms) as well.
    const handedLater = performance.now();
    await o.deliver({ channel: 'fake', user: 'later' }, [item('c')]);
    await expect.poll(() => p.sent.length, { timeout: 5000 }).toBe(3);
    await expect.poll(async () => Number(await redis.get(rate))).not.toBe(seen.later);
    const pushed = Number(await redis.get(rate)) - seen.later! - interval;
    expect(pushed).toBeGreaterThanOrEqual(690);
    // By no more than that: its lateness, and how far past its own slot the push came, are each at most
    // the time from its handing over to now.
    expect(pushed).toBeLessThanOrEqual(2 * (performance.now() - handedLater));
  });

  it('safety mode: a message nobody asked for is refused when it comes, and one already waiting is dropped when it comes to be sent; replies still go', async () => {
    n++;
    const p = new FakePlatform();
    const { o, keys } = await outbox(p);
    const recipients = new RedisRecipients(redis, keys);
    // Queued before safety mode came on (nothing sends yet): a campaign's message and a status message.
    await o.deliver({ channel: 'fake', user: 'quiet' }, [item('campaign')], { tag: 'cmp9', priority: 'bulk' });
    await o.deliver({ channel: 'fake', user: 'quiet' }, [item('status')]);
    await o.deliver({ channel: 'fake', user: 'loud' }, [item('campaign')], { tag: 'cmp9', priority: 'bulk' });
    await recipients.setSafety('fake', 'quiet', true);
    expect(await o.deliver({ channel: 'fake', user: 'quiet' }, [item('later')], { tag: 'cmp9' })).toBe('withheld');
    await o.deliver({ channel: 'fake', user: 'quiet' }, [item('a reply')], { inReplyTo: true });
    await o.start();
    await expect.poll(async () => (await o.counts()).fake!.pending, { timeout: 8000 }).toBe(0);
    expect(p.texts('quiet')).toEqual(['a reply']);
    expect(p.texts('loud')).toEqual(['campaign']);
    expect((await o.tagCounts('cmp9')).fake).toMatchObject({ sent: 1, withheld: 1 });
    expect((await o.counts()).fake).toMatchObject({ withheld: 2, sent: 2 });
  });

  it('someone who writes again right after a reply: their next message is sent from its turn, not queued behind the unrecorded outcome of the last one', async () => {
    // (only the new message itself can get the last one's outcome recorded in time)
    const { o, p } = await batchingBesideAHang('first reply');
    await new Promise((r) => setImmediate(r)); // its outcome now waits in the batch
    await o.deliver({ channel: 'fake', user: 'quick' }, [item('second reply')]);
    // Handed to the platform within the call: the chat was free when the message was queued.
    expect(p.attempts.map((a) => a.text)).toContain('second reply');
    await expect.poll(() => p.texts('quick')).toEqual(['first reply', 'second reply']);
  });

  it('outcomes Redis cannot record (a failover’s READONLY) are retried by one loop, not one more for each message the person writes meanwhile; then sent once each, in order', async () => {
    n++;
    const p = new FakePlatform();
    // Outcome scripts are counted, and refused while `failing`.
    let failing = true;
    let acks = 0;
    const client = await refusing(6, () => {
      acks++;
      return failing ? new Error("READONLY You can't write against a read only replica.") : null;
    });
    const { o } = await outbox(p, {}, client);
    await o.start();
    const to = { channel: 'fake', user: 'writer' };
    await o.deliver(to, [item('one')]);
    await expect.poll(() => acks).toBe(1); // its outcome refused: retried in 500 ms
    for (const text of ['two', 'three', 'four', 'five', 'six']) await o.deliver(to, [item(text)]);
    await new Promise((r) => setTimeout(r, 600));
    // One retry loop: the first call and about one retry (a loop per message would be six calls at once, then six a retry).
    expect(acks).toBeLessThanOrEqual(3);
    failing = false;
    await expect.poll(() => p.texts('writer'), { timeout: 5000 }).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
  });

  it('stopping records at once the outcomes a sender had gathered for its next batch', async () => {
    const { o } = await batchingBesideAHang('sent');
    await o.stop(1000);
    // Recorded as sent (not left to be taken back and counted in doubt when its lease runs out).
    expect((await o.counts()).fake).toMatchObject({ sent: 1 });
  });

  it('stopping while Redis refuses claims: the sender\'s back-off ends when claims must end, not seconds past the deadline', async () => {
    n++;
    const p = new FakePlatform();
    // Every claim is refused. A clock the test moves on: the claim tried once the process is told to
    // stop is refused as its time for claims runs out.
    let claims = 0;
    let skew = 0;
    let stopping = false;
    let claimsWhileStopping = 0;
    const client = await refusing(7, () => {
      claims++;
      if (stopping) {
        claimsWhileStopping++;
        skew = 5000;
      }
      return new Error('LOADING Redis is loading the dataset in memory');
    });
    const { o } = await outbox(p, { now: () => Date.now() + skew }, client);
    await o.start();
    // Five refusals: the sender now backs off 2 s between claims.
    await expect.poll(() => claims, { timeout: 10_000 }).toBe(5);
    stopping = true;
    let stopped = false;
    const done = o.stop(1000).then(() => (stopped = true));
    // Told to stop, the sender tries once more (refused); a back-off of its usual length would then keep
    // it 2 s past the end of claims.
    await Promise.race([done, new Promise((r) => setTimeout(r, 1000))]);
    expect(claimsWhileStopping).toBe(1);
    expect(stopped).toBe(true);
  });

  it('an urgent message goes before the replies already waiting, in the person’s queue and across people', async () => {
    n++;
    const p = new FakePlatform({ perSecond: 20, perChatPerSecond: 20, perChatBurst: 1 });
    const { o } = await outbox(p);
    for (let u = 0; u < 20; u++) await o.deliver({ channel: 'fake', user: `u${u}` }, [item('reply')]);
    await o.deliver({ channel: 'fake', user: 'me' }, [item('offer1'), item('offer2'), item('offer3')]);
    await o.deliver({ channel: 'fake', user: 'me' }, [item('tolong')], { priority: 'urgent' });
    await o.start();
    await expect.poll(() => p.sent.length, { timeout: 5000 }).toBe(24);
    expect(p.sent[0]!.text).toBe('tolong');
    expect(p.texts('me')).toEqual(['tolong', 'offer1', 'offer2', 'offer3']);
  });

  it('a sender told when the next message is due waits until then: messages paced at 4 a second for one person are claimed about once each, not every 50 ms between them', async () => {
    n++;
    const p = new FakePlatform({ perSecond: 1000, perChatPerSecond: 4, perChatBurst: 1 });
    // Its own connection, whose claims (the script with 7 keys) are counted as they are sent.
    const client = await connectRedis(REDIS_URL);
    clients.push(client);
    let claims = 0;
    const sendCommand = client.sendCommand.bind(client);
    client.sendCommand = ((command: { name: string; args: unknown[] }) => {
      if ((command.name === 'evalsha' || command.name === 'eval') && String(command.args[1]) === '7') claims++;
      return sendCommand(command as never);
    }) as typeof client.sendCommand;
    const { o } = await outbox(p, {}, client);
    {
      await o.start();
      const to = { channel: 'fake', user: 'paced' };
      // Each answer is queued while the one before it is still in the chat's pace: due in ~250 ms.
      for (const text of ['one', 'two', 'three', 'four', 'five']) {
        await o.deliver(to, [item(text)]);
        await expect.poll(() => p.texts('paced').at(-1), { timeout: 5000 }).toBe(text);
      }
      // Polling every 50 ms over the ~1 s of pacing would be about 20 claims; waking when due, about one each.
      expect(claims).toBeLessThanOrEqual(10);
    }
  });

  it('a second delivery with the same key is not queued again', async () => {
    n++;
    const p = new FakePlatform();
    const { o } = await outbox(p);
    const to = { channel: 'fake', user: '7' };
    expect(await o.deliver(to, [item('once')], { key: 'msg-1' })).toBe('queued');
    expect(await o.deliver(to, [item('once')], { key: 'msg-1' })).toBe('duplicate');
    await o.start();
    await expect.poll(() => p.sent.length).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(p.texts('7')).toEqual(['once']);
  });

  it('a person the platform says is gone loses their waiting messages, gets no push, and is reachable again once they write', async () => {
    n++;
    const p = new FakePlatform();
    p.answer = (to) => (to === 'blocker' ? { ok: false, kind: 'gone', reason: '403: blocked' } : { ok: true });
    const { o, keys } = await outbox(p);
    const to = { channel: 'fake', user: 'blocker' };
    await o.deliver(to, [item('one'), item('two')]);
    await o.start();
    await expect.poll(() => redis.zscore(keys.outbox('fake').gone, 'blocker')).not.toBeNull();
    expect(p.attempts.filter((a) => a.to === 'blocker')).toHaveLength(1);
    expect(await o.deliver(to, [item('campaign')], { priority: 'bulk' })).toBe('gone');
    p.answer = () => ({ ok: true });
    expect(await o.deliver(to, [item('answer')], { inReplyTo: true })).toBe('queued');
    await expect.poll(() => p.texts('blocker')).toEqual(['answer']);
    expect(await redis.zscore(keys.outbox('fake').gone, 'blocker')).toBeNull();
    await expect.poll(async () => (await o.counts()).fake).toMatchObject({ gone: 2, sent: 1, pending: 0 });
  });

  it('a 429 is waited out as often as the platform says it, and the message still arrives once', async () => {
    n++;
    const p = new FakePlatform();
    p.answer = (_to, text, attempt) => (text === 'storm' && attempt <= 8 ? { ok: false, kind: 'retry', afterMs: 100, reason: '429' } : { ok: true });
    const { o } = await outbox(p);
    await o.deliver({ channel: 'fake', user: 's' }, [item('storm'), item('after')]);
    await o.start();
    await expect.poll(() => p.texts('s'), { timeout: 8000 }).toEqual(['storm', 'after']);
    const tries = p.attempts.filter((a) => a.text === 'storm').map((a) => a.at);
    expect(tries).toHaveLength(9);
    for (let i = 1; i < tries.length; i++) expect(tries[i]! - tries[i - 1]!).toBeGreaterThanOrEqual(95);
    expect((await o.counts()).fake).toMatchObject({ rate_limited: 8, sent: 2, failed: 0 });
  });

  it('failures back off and the message arrives; a message the platform refuses is dropped and the next goes', async () => {
    n++;
    const p = new FakePlatform();
    p.answer = (_to, text, attempt) =>
      text === 'flaky' && attempt <= 2 ? { ok: false, kind: 'transient', reason: '502' } : text === 'bad' ? { ok: false, kind: 'permanent', reason: '400' } : { ok: true };
    const { o } = await outbox(p);
    await o.deliver({ channel: 'fake', user: 'f' }, [item('flaky'), item('bad'), item('good')]);
    await o.start();
    await expect.poll(() => p.texts('f'), { timeout: 8000 }).toEqual(['flaky', 'good']);
    const tries = p.attempts.filter((a) => a.text === 'flaky').map((a) => a.at);
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(450);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(950);
    // The platform has 'good' a moment before the outbox records it (outcomes are recorded in batches).
    await expect.poll(async () => (await o.counts()).fake, { timeout: 5000 }).toMatchObject({ retried: 2, failed: 1, sent: 2, pending: 0 });
  });

  it('counts the outcomes of a tag’s deliveries (a campaign’s), once a person: sent after retries, refused, to people gone; untagged ones apart', async () => {
    n++;
    const p = new FakePlatform();
    p.answer = (to, text, attempt) =>
      to === 'gone' ? { ok: false, kind: 'gone', reason: '403' }
      : to === 'bad' ? { ok: false, kind: 'permanent', reason: '400' }
      : text === 'flaky' && attempt === 1 ? { ok: false, kind: 'transient', reason: '502' }
      : { ok: true };
    const { o } = await outbox(p);
    // Started first: a delivery to an idle chat is taken at once by this process (no claim), tag and all.
    await o.start();
    await o.deliver({ channel: 'fake', user: 'now' }, [item('alert')], { tag: 'cmp1', priority: 'bulk' });
    for (const user of ['a', 'b', 'gone', 'bad']) await o.deliver({ channel: 'fake', user }, [item('alert')], { tag: 'cmp1', priority: 'bulk' });
    await o.deliver({ channel: 'fake', user: 'c' }, [item('flaky')], { tag: 'cmp1', priority: 'bulk' });
    // A delivery of two messages (a picture, then its long text) counts once for the person.
    await o.deliver({ channel: 'fake', user: 'e' }, [item('picture'), item('long text')], { tag: 'cmp1', priority: 'bulk' });
    await o.deliver({ channel: 'fake', user: 'a' }, [item('a reply')]);
    await o.deliver({ channel: 'fake', user: 'd' }, [item('other')], { tag: 'cmp2' });
    await expect.poll(async () => (await o.counts()).fake!.pending, { timeout: 8000 }).toBe(0);
    expect((await o.tagCounts('cmp1')).fake).toEqual({ sent: 5, failed: 1, gone: 1, expired: 0, in_doubt: 0, withheld: 0 });
    expect(p.texts('e')).toEqual(['picture', 'long text']);
    expect((await o.tagCounts('cmp2')).fake).toMatchObject({ sent: 1 });
    expect(p.texts('c')).toEqual(['flaky']);
    await o.forgetTag('cmp1');
    expect((await o.tagCounts('cmp1')).fake).toEqual({ sent: 0, failed: 0, gone: 0, expired: 0, in_doubt: 0, withheld: 0 });
    await expect(o.deliver({ channel: 'fake', user: 'x' }, [item('x')], { tag: 'a|b' })).rejects.toThrow(/tag/);
  });

  it('a message that could not be sent within the age limit is given up and counted', async () => {
    n++;
    const p = new FakePlatform();
    p.answer = () => ({ ok: false, kind: 'transient', reason: 'down' });
    const { o } = await outbox(p, { maxAgeMs: 300 });
    await o.deliver({ channel: 'fake', user: 'old' }, [item('late')]);
    await o.start();
    await expect.poll(async () => (await o.counts()).fake!.expired, { timeout: 5000 }).toBe(1);
    expect((await o.counts()).fake!.pending).toBe(0);
  });

  it('two processes sharing one Redis keep together to the platform’s rate', async () => {
    n++;
    const limits = { perSecond: 40, perChatPerSecond: 1, perChatBurst: 1 };
    const a = new FakePlatform(limits);
    const b = new FakePlatform(limits);
    const keys = keyspace(`${prefix}:${n}`);
    const mk = (p: FakePlatform) => {
      const o = new RedisOutbox({ redis, keys, channels: [p], render, cipher, idlePollMs: 20 });
      started.push(o);
      return o;
    };
    const oa = mk(a);
    const ob = mk(b);
    for (let u = 0; u < 80; u++) await (u % 2 ? oa : ob).deliver({ channel: 'fake', user: `r${u}` }, [item('m')]);
    await oa.start();
    await ob.start();
    await expect.poll(() => a.sent.length + b.sent.length, { timeout: 10_000 }).toBe(80);
    const times = [...a.sent, ...b.sent].map((s) => s.at).sort((x, y) => x - y);
    // Both took part (how the 80 split depends on how busy the machine is: one held up by a loaded CPU
    // claims less; under load a split of 9 to 71 was seen), and together they kept to the limit.
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    // In any one second, at most the limit (measured where the platform would count them).
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(40);
    }
  });

  it('a message held by a sender that died is sent by another, unless it had already been written to the platform', async () => {
    n++;
    const keys = keyspace(`${prefix}:${n}`);
    const dying = new FakePlatform();
    dying.answer = (to) => (to === 'written' ? 'written-then-hang' : 'hang');
    const client = await connectRedis(REDIS_URL);
    clients.push(client);
    const a = new RedisOutbox({ redis: client, keys, channels: [dying], render, cipher, leaseMs: 300, idlePollMs: 20 });
    await a.deliver({ channel: 'fake', user: 'written' }, [item('w1'), item('w2')]);
    await a.deliver({ channel: 'fake', user: 'unsent' }, [item('u1')]);
    await a.start();
    await expect.poll(() => redis.hget(keys.outbox('fake').sent, 'written')).not.toBeNull();
    await expect.poll(() => dying.attempts.length).toBe(2);
    // The process dies: no more lease renewals, no answers.
    client.disconnect();
    await a.stop(0);
    const heir = new FakePlatform();
    const b = new RedisOutbox({ redis, keys, channels: [heir], render, cipher, leaseMs: 300, idlePollMs: 20 });
    started.push(b);
    await b.start();
    await expect.poll(() => heir.sent.length, { timeout: 5000 }).toBe(2);
    expect(heir.texts('written')).toEqual(['w2']);
    expect(heir.texts('unsent')).toEqual(['u1']);
    await expect.poll(async () => (await b.counts()).fake).toMatchObject({ in_doubt: 1, reclaimed: 1, pending: 0 });
  });

  it('a message that reaches the platform late (its connection slow to open) takes the next slot from the ones after it: never more than the limit in any second, counted where they arrive', async () => {
    n++;
    const p = new FakePlatform({ perSecond: 10, perChatPerSecond: 1000, perChatBurst: 1 });
    const arrived: { to: string; at: number }[] = [];
    const send = p.send.bind(p);
    p.send = async (to, message, hooks) => {
      // The first message's bytes leave 300 ms after it was handed over; the rest at once.
      if (to === 'slow') await new Promise((r) => setTimeout(r, 300));
      return send(to, message, { written: () => (arrived.push({ to, at: performance.now() }), hooks?.written()) });
    };
    const { o } = await outbox(p, { idlePollMs: 20 });
    await o.deliver({ channel: 'fake', user: 'slow' }, [item('m')]);
    for (let u = 0; u < 14; u++) await o.deliver({ channel: 'fake', user: `after${u}` }, [item('m')]);
    await o.start();
    await expect.poll(() => arrived.length, { timeout: 10_000 }).toBe(15);
    expect(arrived[0]!.to).toBe('after0');
    const times = arrived.map((a) => a.at).sort((x, y) => x - y);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(10);
  });

  it('stopping sends what is due before the deadline and leaves the rest queued for the next process', async () => {
    n++;
    const keys = keyspace(`${prefix}:${n}`);
    const first = new FakePlatform({ perSecond: 10, perChatPerSecond: 100, perChatBurst: 1 });
    const a = new RedisOutbox({ redis, keys, channels: [first], render, cipher, idlePollMs: 20 });
    for (let u = 0; u < 30; u++) await a.deliver({ channel: 'fake', user: `s${u}` }, [item('m')]);
    await a.start();
    await a.stop(1000);
    expect(first.sent.length).toBeGreaterThan(5);
    expect(first.sent.length).toBeLessThan(30);
    const next = new FakePlatform({ perSecond: 1000, perChatPerSecond: 100, perChatBurst: 1 });
    const b = new RedisOutbox({ redis, keys, channels: [next], render, cipher, idlePollMs: 20 });
    started.push(b);
    await b.start();
    await expect.poll(() => first.sent.length + next.sent.length, { timeout: 5000 }).toBe(30);
    const everyone = [...first.sent, ...next.sent].map((s) => s.to).sort();
    expect(new Set(everyone).size).toBe(30);
  });

  it('a message still being sent keeps its lease, however long the platform takes to answer', async () => {
    n++;
    const p = new FakePlatform();
    let answer!: (r: SendResult) => void;
    const slow = new Promise<SendResult>((r) => (answer = r));
    const { o } = await outbox(p, { leaseMs: 300 });
    const send = p.send.bind(p);
    p.send = async (to, message, hooks) => (to === 'slow' ? (hooks?.written(), slow) : send(to, message, hooks));
    await o.deliver({ channel: 'fake', user: 'slow' }, [item('patience')]);
    await o.start();
    await new Promise((r) => setTimeout(r, 1500));
    answer({ ok: true });
    await expect.poll(async () => (await o.counts()).fake!.sent).toBe(1);
    expect((await o.counts()).fake).toMatchObject({ in_doubt: 0, reclaimed: 0, stale_acks: 0, pending: 0 });
  });

  /** A platform whose answer to `to` waits until released (and says it was written at once). */
  function holdFor(p: FakePlatform, to: string) {
    let answer!: (r: SendResult) => void;
    const held = new Promise<SendResult>((r) => (answer = r));
    let attempts = 0;
    const send = p.send.bind(p);
    p.send = async (chat, message, hooks) => {
      if (chat !== to || attempts++ > 0) return send(chat, message, hooks);
      hooks?.written();
      return held;
    };
    return { answer, attempts: () => attempts };
  }

  it('a message whose send fails after its queue was emptied by hand is let go; the sender goes on', async () => {
    n++;
    const p = new FakePlatform();
    const hold = holdFor(p, 'emptied');
    const { o, keys } = await outbox(p);
    await o.deliver({ channel: 'fake', user: 'emptied' }, [item('gone-by-hand')]);
    await o.start();
    await expect.poll(() => hold.attempts()).toBe(1);
    await redis.del(keys.outbox('fake').queue('emptied', 1));
    hold.answer({ ok: false, kind: 'transient', reason: '502' });
    await o.deliver({ channel: 'fake', user: 'next' }, [item('still-sent')]);
    await expect.poll(() => p.texts('next')).toEqual(['still-sent']);
    expect(p.texts('emptied')).toEqual([]);
  });

  it('when a blocked person writes again while a message to them is in flight, the 403 that comes back keeps the new answer', async () => {
    n++;
    const p = new FakePlatform();
    const hold = holdFor(p, 'back');
    const { o, keys } = await outbox(p);
    const to = { channel: 'fake', user: 'back' };
    await o.deliver(to, [item('old')]);
    await o.start();
    await expect.poll(() => hold.attempts()).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await o.deliver(to, [item('answer')], { inReplyTo: true })).toBe('queued');
    hold.answer({ ok: false, kind: 'gone', reason: '403: blocked' });
    await expect.poll(() => p.texts('back')).toEqual(['answer']);
    expect(await redis.zscore(keys.outbox('fake').gone, 'back')).toBeNull();
  });
});

describe('the outbox when Redis goes away for longer than a lease, with two processes', () => {
  it('the process still sending keeps its message: it is sent once, not taken over', async () => {
    const { PrivateRedis } = await import('../helpers/redis-server.js');
    const server = await PrivateRedis.start();
    const keys = keyspace('outage');
    const [ra, rb] = [await connectRedis(server.url), await connectRedis(server.url)];
    const a = new FakePlatform();
    const b = new FakePlatform();
    let answer!: (r: SendResult) => void;
    const held = new Promise<SendResult>((r) => (answer = r));
    const sendA = a.send.bind(a);
    a.send = async (chat, message, hooks) => {
      if (chat !== 'x') return sendA(chat, message, hooks);
      hooks?.written();
      a.attempts.push({ to: chat, text: 'held', at: Date.now() });
      return held;
    };
    const oa = new RedisOutbox({ redis: ra, keys, channels: [a], render, cipher, leaseMs: 3000, idlePollMs: 20 });
    const ob = new RedisOutbox({ redis: rb, keys, channels: [b], render, cipher, leaseMs: 3000, idlePollMs: 20 });
    try {
      await oa.deliver({ channel: 'fake', user: 'x' }, [item('in-flight')]);
      await oa.start();
      await expect.poll(() => a.attempts.length).toBe(1);
      await server.kill();
      await new Promise((r) => setTimeout(r, 4000));
      await server.start();
      // A process starting now claims at once, before the sender renews its lease (every second).
      await ob.start();
      await new Promise((r) => setTimeout(r, 1500));
      answer({ ok: true });
      await expect.poll(async () => (await oa.counts()).fake!.sent, { timeout: 8000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(b.sent).toEqual([]);
      expect((await oa.counts()).fake).toMatchObject({ sent: 1, in_doubt: 0, reclaimed: 0, pending: 0 });
    } finally {
      await Promise.all([oa.stop(0), ob.stop(0)]);
      ra.disconnect();
      rb.disconnect();
      await server.stop();
    }
  }, 30_000);
});
