// A family telling what happened to a relative abroad, at the main menu: the emergency screen, not the
// generic "thank you for writing" nor the offer checker.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
const phoneOf = (id: string) => content.data.contacts.get(id)!.channels[0]!.value;
let n = 0;

describe('a family’s story at the main menu', () => {
  let redis: Redis;
  let prefix: string;
  let service: ConversationService;
  const say = (user: string, text: string, lang: 'id' | 'en') => service.handle({ channel: 'test', userId: user, messageId: `f${++n}`, text, langHint: lang });
  const atMenu = async (user: string, lang: 'id' | 'en') => {
    await say(user, 'halo', lang);
    const r = await say(user, '1', lang);
    expect(r.replies.at(-1)!.text).toContain(content.texts.t(lang, 'main.title'));
    return user;
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('family');
    service = new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: 'test-hash-secret-0123456789' });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it.each([
    ['en', 'My brother went to work in Malaysia last year. His boss took his passport and he cannot leave the house. What should we do?'],
    ['id', 'Kakak saya kerja di Malaysia sejak tahun lalu. Paspornya diambil majikan dan dia tidak bisa keluar dari mess. Kami harus bagaimana?'],
  ] as const)('a passport taken and a relative kept in (%s) gets the 24-hour lines first and the question where the person in danger is', async (lang, story) => {
    const r = await say(await atMenu(`story-${lang}`, lang), story, lang);
    const texts = r.replies.map((x) => x.text).join('\n');
    expect(r.replies[0]!.text).toContain(content.texts.t(lang, 'emergency.intro'));
    expect(texts).toContain(phoneOf('kemlu_wni'));
    expect(texts).toContain(phoneOf('kp2mi_complaints'));
    expect(r.replies.at(-1)!.text).toContain(content.texts.t(lang, 'emergency.where'));
    expect(r.replies.at(-1)!.choices!.map((c) => c.id)).toEqual(['home', 'abroad', 'skip']);
  });
});
