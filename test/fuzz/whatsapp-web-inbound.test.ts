// whatsapp-web.js messages on generated input: objects shaped like the library's Message whose every
// field may be anything (types such as "constructor", mimetypes that are numbers, ids that are not ids,
// nested junk), and arbitrary values. Mapped alone, none throws (the channel would drop the message
// without a word) and each becomes nothing or a body in the inbox's shape; emitted on the fake client
// to a linked channel, each one kept reaches the inbox and comes back out as a well-formed Inbound.
import type { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsappWebChannel } from '../../src/channels/whatsapp-web.js';
import { MAX_MESSAGE, messageId, messageToBody, WHATSAPP_WEB, type WwebBody, type WwebMessage } from '../../src/channels/whatsapp-web-message.js';
import type { Delivery } from '../../src/conversation/inbox.js';
import type { Inbound } from '../../src/conversation/service.js';
import { MEDIA_KINDS } from '../../src/engine/types.js';
import { silentLogger } from '../../src/log.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { FakeWhatsapp, waitUntil } from '../fakes/whatsapp-web-client.js';
import { hostileJson, hostileText, jsonStable, RUNS, watchRejections } from '../helpers/fuzz.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { fakeWwebSettings } from '../helpers/whatsapp-web.js';

const CHATS = ['6281200000001@c.us', '123456789012345@lid'];
const PRIVATE_CHAT = /^[0-9]{5,24}@(?:c\.us|lid)$/;
const TYPES = ['chat', 'image', 'video', 'audio', 'ptt', 'sticker', 'document', 'location', 'vcard', 'multi_vcard', 'revoked', 'poll_creation', 'unknown', 'constructor', '__proto__', 'toString'];
const junk = hostileJson(1);
const idPart = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[A-F0-9]{20}$/) }, { weight: 1, arbitrary: junk });

/** A Message as the library might hand it over, every field optional and possibly anything. */
const wwebMessage: fc.Arbitrary<WwebMessage> = fc
  .record(
    {
      id: fc.oneof({ weight: 6, arbitrary: fc.record({ id: idPart, fromMe: fc.oneof(fc.constant(false), junk), _serialized: fc.oneof(fc.constant('auto'), junk) }, { requiredKeys: [] }) }, { weight: 1, arbitrary: junk }),
      from: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...CHATS) }, { weight: 1, arbitrary: fc.constantFrom('120363012345678901@g.us', 'status@broadcast', '1@c.us') }, { weight: 1, arbitrary: junk }),
      body: fc.oneof({ weight: 5, arbitrary: hostileText(6000) }, { weight: 1, arbitrary: junk }),
      type: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: junk }),
      fromMe: fc.oneof(fc.constant(false), junk),
      isStatus: fc.oneof(fc.constant(false), junk),
      broadcast: fc.oneof(fc.constant(false), junk),
      hasMedia: fc.oneof(fc.boolean(), junk),
      timestamp: fc.oneof(fc.integer(), junk),
      _data: fc.oneof(
        fc.record({ mimetype: fc.oneof(fc.constantFrom('image/jpeg', 'image/png', 'application/pdf', 'image/'), junk), size: fc.oneof(fc.nat(), junk) }, { requiredKeys: [] }),
        junk,
      ),
    },
    { requiredKeys: [] },
  )
  .map((m) => {
    // Where the id is an object with `_serialized: 'auto'`: the serialized id of this message, as the library gives it.
    const id = m.id as { id?: unknown; _serialized?: unknown } | undefined;
    if (id && typeof id === 'object' && id._serialized === 'auto') id._serialized = `false_${typeof m.from === 'string' ? m.from : ''}_${typeof id.id === 'string' ? id.id : ''}`;
    return m as WwebMessage;
  });
const anyMessage = fc.oneof({ weight: 9, arbitrary: wwebMessage }, { weight: 1, arbitrary: hostileJson(2) as fc.Arbitrary<WwebMessage> });

const MEDIA: readonly (string | undefined)[] = [...MEDIA_KINDS, undefined];

function bodyProblems(b: WwebBody): string[] {
  const out: string[] = [];
  if (b.kind !== 'message' || typeof b.chat !== 'string' || !PRIVATE_CHAT.test(b.chat)) out.push(`chat ${JSON.stringify(b.chat)}`);
  if (!MEDIA.includes(b.media)) out.push(`media ${String(b.media)} is no media kind`);
  if (b.text !== undefined && (typeof b.text !== 'string' || b.text.length > MAX_MESSAGE)) out.push('text');
  if (b.picture && (b.media !== 'photo' && b.media !== 'image')) out.push('a picture on a message that is none');
  if (!jsonStable(b)) out.push(`the inbox could not keep ${JSON.stringify(b)} as it is`);
  return out;
}

function inboundProblems(i: Inbound | null): string[] {
  if (!i) return ['no Inbound for a message the inbox kept'];
  const out: string[] = [];
  if (i.channel !== WHATSAPP_WEB || !PRIVATE_CHAT.test(i.userId) || typeof i.messageId !== 'string' || !i.messageId) out.push(`addressing ${JSON.stringify([i.channel, i.userId, i.messageId])}`);
  if (!MEDIA.includes(i.media)) out.push(`media ${String(i.media)}`);
  if (i.text !== undefined && (typeof i.text !== 'string' || i.text.length > MAX_MESSAGE)) out.push('text');
  if (i.picture && i.media !== 'photo' && i.media !== 'image') out.push('a picture on a message that is none');
  return out;
}

describe('whatsapp-web messages mapped, on 10,000 generated ones', () => {
  it('none throws, and each becomes nothing or a body in the inbox\'s shape with a usable id', () => {
    fc.assert(
      fc.property(anyMessage, (m) => {
        let body: WwebBody | null = null;
        expect(() => (body = messageToBody(m))).not.toThrow();
        if (!body) return;
        expect(bodyProblems(body)).toEqual([]);
        // Asked only of a message the mapping kept (as the channel does).
        let id: string | null = null;
        expect(() => (id = messageId(m))).not.toThrow();
        if (id !== null) expect(id).toMatch(/^[A-Za-z0-9_-]{4,64}$/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('whatsapp-web messages through a linked channel on the fake client, 10,000 generated ones', () => {
  const prefix = testPrefix('fuzz-wweb');
  const keys = keyspace(prefix);
  let redis: Redis;
  let channel: WhatsappWebChannel;
  const wa = new FakeWhatsapp();
  /** An inbox that hands each delivery to whoever waits for it. */
  const stored: Delivery[] = [];
  let onIngest: (() => void) | null = null;
  const inbox = {
    ingest: async (d: Delivery) => {
      stored.push(d);
      onIngest?.();
      return 'queued' as const;
    },
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    channel = new WhatsappWebChannel({
      settings: fakeWwebSettings(wa, 'fuzz-wweb-secret-0123456789'),
      inbox: inbox as never,
      recipients: new RedisRecipients(redis, keys),
      log: silentLogger,
      redis,
      keys,
    });
    channel.start();
    await waitUntil(() => channel.linkState === 'ready');
  });
  afterAll(async () => {
    await channel?.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('each message the mapping keeps reaches the inbox and comes back out as a well-formed Inbound; the rest are dropped; nothing is left unhandled', async () => {
    const rejections = watchRejections();
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(anyMessage, async (m) => {
        const before = stored.length;
        let expected = false;
        try {
          expected = messageToBody(m) !== null && messageId(m) !== null;
        } catch {
          /* the mapping alone is checked above */
        }
        const arrived = expected ? new Promise<void>((resolve) => (onIngest = resolve)) : null;
        wa.emit(m);
        if (!arrived) {
          // A message not kept is dropped before anything is awaited.
          expect(stored.length).toBe(before);
          return;
        }
        await arrived;
        onIngest = null;
        kept++;
        const d = stored.at(-1)!;
        // As another process reads it from the inbox: through JSON.
        const inbound = await channel.inbound({ ...d, body: JSON.parse(JSON.stringify(d.body)) as unknown });
        expect(inboundProblems(inbound)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    expect(kept).toBeGreaterThan(RUNS / 10);
    expect(channel.linkState).toBe('ready');
    expect(rejections.stop()).toEqual([]);
  }, 120_000);
});
