import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { EFFECTS, effectSignatures } from '../../src/conversation/effects.js';
import { RecruiterHasher } from '../../src/conversation/recruiters.js';
import { ConversationService, type Inbound } from '../../src/conversation/service.js';
import type { Session } from '../../src/engine/types.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { keyspace } from '../../src/store/keys.js';
import type { RecruiterMark, RecruiterRegistry } from '../../src/store/recruiters.js';
import { connectRedis } from '../../src/store/redis.js';
import type { SessionStore } from '../../src/store/sessions.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';
import { contentFor } from '../helpers/content.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const SECRET = 'test-hash-secret-0123456789';
const EFFECTS_DIR = resolve(import.meta.dirname, '../../src/conversation/effects');
const SCAM =
  'Lowongan CS online di Kamboja, gaji 20 juta per bulan, berangkat pakai visa turis, paspor ditahan agen selama kontrak, biaya proses 5 juta. Hubungi WA 0812-1111-2222 sekarang.';

describe('effects: the registry', () => {
  it('every file in src/conversation/effects declares one effect, registered under its name, with outcomes and an argument schema', async () => {
    const files = readdirSync(EFFECTS_DIR).filter((f) => f.endsWith('.ts') && !['index.ts', 'effect.ts'].includes(f));
    const declared: string[] = [];
    for (const file of files) {
      const mod = (await import(resolve(EFFECTS_DIR, file))) as Record<string, unknown>;
      const effects = Object.values(mod).filter((v): v is { name: string } => typeof v === 'object' && v !== null && 'run' in v && 'name' in v);
      expect(effects, file).toHaveLength(1);
      const effect = effects[0]!;
      // checkOffer lives in check-offer.ts.
      expect(basename(file, '.ts'), file).toBe(effect.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
      expect(EFFECTS[effect.name], file).toBe(effect);
      declared.push(effect.name);
    }
    expect(Object.keys(EFFECTS).sort()).toEqual(declared.sort());
    for (const [name, sig] of Object.entries(effectSignatures())) {
      expect(sig.outcomes.length, name).toBeGreaterThan(0);
      expect(sig.args?.safeParse, name).toBeTypeOf('function');
    }
  });
});

/** Sessions whose next commit fails (as if Redis went away just then), once. */
class FailingCommit implements SessionStore {
  failNext = false;
  constructor(private readonly inner: SessionStore) {}
  begin(user: string, messageId: string, token: string, lockMs: number) {
    return this.inner.begin(user, messageId, token, lockMs);
  }
  async commit(user: string, token: string, messageId: string, session: Session | null) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('commit failed');
    }
    return this.inner.commit(user, token, messageId, session);
  }
  release(user: string, token: string) {
    return this.inner.release(user, token);
  }
  askSafety(user: string, on: boolean) {
    return this.inner.askSafety(user, on);
  }
  forgetUser(user: string) {
    return this.inner.forgetUser(user);
  }
}

/** The registry, noting the idempotency key of every recording. */
class NotingKeys implements RecruiterRegistry {
  readonly recorded: { mark: RecruiterMark; key: string }[] = [];
  constructor(private readonly inner: RecruiterRegistry) {}
  counts(hashes: string[], source: string) {
    return this.inner.counts(hashes, source);
  }
  record(mark: RecruiterMark, hashes: string[], source: string, key: string) {
    this.recorded.push({ mark, key });
    return this.inner.record(mark, hashes, source, key);
  }
}

describe('effects run once per message', () => {
  const content = loadContent();
  const t = (key: string) => content.texts.t('id', key);
  let redis: Redis;
  let prefix: string;
  let sessions: FailingCommit;
  let recruiters: NotingKeys;
  let service: ConversationService;
  let n = 0;
  const msg = (user: string, text: string): Inbound => ({ channel: 'test', userId: user, messageId: `e${++n}`, text, langHint: 'id' });
  const say = (user: string, text: string) => service.handle(msg(user, text));
  /** How the recruiter of SCAM looks to someone who never warned about or reported it. */
  const countsOfScam = () => recruiters.counts([new RecruiterHasher(SECRET).contacts(['0812-1111-2222'])[0]!.hash], 'someone-else');

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('effects');
    const stores = redisStores(redis, prefix);
    sessions = new FailingCommit(stores.sessions);
    recruiters = new NotingKeys(stores.recruiters);
    service = new ConversationService({ sessions, recruiters, content, hashSecret: SECRET });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('an offer handled again after its save failed warns about the recruiter once, under the same key', async () => {
    for (const text of ['halo', '1', '1']) await say('retry', text);
    const offer = msg('retry', SCAM);
    sessions.failNext = true;
    const failed = await service.handle(offer);
    expect(failed).toMatchObject({ ok: false, replies: [{ text: t('conversation.try_again') }] });
    const again = await service.handle({ ...offer });
    expect(again.ok).toBe(true);
    expect(again.replies[0]!.text).toContain('RISIKO TINGGI');
    expect(await countsOfScam()).toEqual([{ warned: 1, reported: 0, people: 1 }]);
    const warned = recruiters.recorded.filter((r) => r.mark === 'warned');
    expect(warned).toHaveLength(2);
    expect(warned[1]!.key).toBe(warned[0]!.key);
    // The key is opaque (a keyed hash): it does not carry the person's id or the message's.
    expect(warned[0]!.key).toMatch(/^[\w-]{22}$/);
  });

  it('a report handled twice (its save failed) counts once; another message is other work, with another key', async () => {
    const report = msg('retry', '2');
    sessions.failNext = true;
    expect((await service.handle(report)).ok).toBe(false);
    const again = await service.handle({ ...report });
    expect(again.replies[0]!.text).toContain(t('checker.flow.reported'));
    expect(await countsOfScam()).toEqual([{ warned: 1, reported: 1, people: 1 }]);
    const reported = recruiters.recorded.filter((r) => r.mark === 'reported');
    expect(reported.map((r) => r.key)).toEqual([reported[0]!.key, reported[0]!.key]);
    // Someone else warned by the same offer counts, under a key of their own.
    for (const text of ['halo', '1', '1', SCAM]) await say('other', text);
    expect(await countsOfScam()).toEqual([{ warned: 2, reported: 1, people: 2 }]);
    expect(new Set(recruiters.recorded.map((r) => r.key)).size).toBe(3);
  });

  it('"delete my data" also removes the person from the recipient registry, and no one else', async () => {
    const recipients = new RedisRecipients(redis, keyspace(prefix));
    const forgetting = new ConversationService({ ...redisStores(redis, prefix), recipients, content });
    await recipients.markGone('test', 'leaving');
    await recipients.markGone('test', 'staying');
    for (const text of ['halo', '1']) await forgetting.handle(msg('leaving', text));
    await forgetting.handle(msg('leaving', 'hapus data'));
    const done = await forgetting.handle(msg('leaving', '1'));
    expect(done.replies[0]!.text).toContain(t('forget.done'));
    expect(await recipients.goneSince('test', 'leaving')).toBeNull();
    expect(await recipients.goneSince('test', 'staying')).not.toBeNull();
    expect(await redis.exists(`${prefix}:session:{test:leaving}`)).toBe(0);
  });
});

describe('effect arguments at run time', () => {
  const FLOW = `
spec_version: 1
id: main
start: number
steps:
  number: { type: set, set: { n: 6281299998888 }, next: ask }
  ask: { type: choice, say: [c.ask], choices: [{ id: go, label: l.go, next: check }] }
  check: { type: effect, effect: checkOffer, args: { text: "$n" }, outcomes: { checked: ask, unclear: ask, error: failed } }
  failed: { type: end, say: [c.failed] }
`;
  it('a bad argument from a variable is the effect’s error outcome, logged once without its value, and the effect does not run', async () => {
    const content = contentFor(bundleFrom({ ...WORLD, main: FLOW }));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('bad-args');
    let ran = 0;
    const effects = { ...EFFECTS, checkOffer: { ...EFFECTS.checkOffer!, run: async () => (ran++, { outcome: 'checked' }) } };
    const service = new ConversationService({ ...redisStores(redis, prefix), content, effects, log });
    for (const text of ['halo', 'agree']) await service.handle(msg('bad', text));
    const r = await service.handle(msg('bad', 'go'));
    expect(r.replies.map((x) => x.text)).toEqual(['id:c.failed\n\nid:c.ask']);
    expect(ran).toBe(0);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ effect: 'checkOffer', problems: ['text: invalid_type'], msg: 'flow gave an effect arguments it does not take' });
    expect(lines[0]).not.toContain('6281299998888');
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  let m = 0;
  function msg(user: string, text: string): Inbound {
    return { channel: 'test', userId: user, messageId: `b${++m}`, text, langHint: 'id' };
  }
});
