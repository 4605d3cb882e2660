import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { ConversationService, type Inbound } from '../../src/conversation/service.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
let n = 0;

describe('bad input on the shipped flows', () => {
  let redis: Redis;
  let prefix: string;
  let service: ConversationService;
  const say = (user: string, text: string, extra: Partial<Inbound> = {}) =>
    service.handle({ channel: 'test', userId: user, messageId: `b${++n}`, text, langHint: 'id', ...extra });
  /** A user who has agreed and is at the main menu. */
  const atMenu = async (user: string) => {
    await say(user, 'halo');
    const r = await say(user, '1');
    expect(r.replies.at(-1)!.text).toBe(content.texts.t('id', 'main.title'));
    return user;
  };
  const hint = (count: number, lang: 'id' | 'en' = 'id') => content.texts.t(lang, 'engine.hint.choice', { count });
  const menuSize = () => content.bundle.flows.get('main')!.steps.menu!.choices.length as number;

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('bad');
    service = new ConversationService({ ...redisStores(redis, prefix), content });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('an empty message at the menu gets the hint with the choices again', async () => {
    const u = await atMenu('empty');
    const r = await say(u, '');
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.text).toBe(hint(menuSize()));
    expect(r.replies[0]!.choices).toHaveLength(menuSize());
  });

  it('a message with no text at all (a sticker) is answered like an empty one', async () => {
    const u = await atMenu('sticker');
    const r = await say(u, '', { text: undefined });
    expect(r.replies[0]!.text).toBe(hint(menuSize()));
  });

  it('a 10 kB message is answered with what the menu tells a long text (where reports and offers go), and the user stays where they were', async () => {
    const u = await atMenu('big');
    const r = await say(u, 'lorem ipsum '.repeat(900));
    expect(r.ok).toBe(true);
    expect(r.replies[0]!.text).toBe(content.texts.t('id', 'main.long_text'));
    expect((await say(u, '8')).replies[0]!.text).toBe(content.texts.t('id', 'main.settings_title'));
  });

  it('binary garbage gets the hint, not a crash', async () => {
    const u = await atMenu('binary');
    const r = await say(u, '\u0000\u0001\u00ff\ufffe\ud800\u0007PNG\r\n\u001a');
    expect(r.ok).toBe(true);
    expect(r.replies[0]!.text).toBe(hint(menuSize()));
  });

  it('an emoji-only message gets the hint', async () => {
    const u = await atMenu('emoji');
    expect((await say(u, '🙏🙏😭')).replies[0]!.text).toBe(hint(menuSize()));
  });

  it('a mixed-language message that names a choice picks it, and English intents work in an Indonesian session', async () => {
    const u = await atMenu('mixed');
    // (a sentence that names none is told where each kind of question goes; one that names a choice in either language picks it)
    expect((await say(u, 'saya mau tanya sesuatu please')).replies[0]!.text).toBe(content.texts.t('id', 'main.long_text'));
    expect((await say(u, 'saya mau settings please')).replies[0]!.text).toContain(content.texts.t('id', 'main.settings_title'));
    await say(u, 'menu');
    expect((await say(u, 'Emergency contacts')).replies[0]!.text).not.toBe(hint(menuSize()));
    const r = await say(u, 'delete my data');
    expect(r.replies[0]!.text).toBe(content.texts.t('id', 'forget.explain'));
  });

  it('three unclear answers in a row lead back to the menu with an explanation', async () => {
    const u = await atMenu('three');
    await say(u, '8');
    await say(u, 'x');
    await say(u, 'y');
    const r = await say(u, 'z');
    expect(r.replies.map((x) => x.text)).toEqual([`${content.texts.t('id', 'engine.too_many_failures')}\n\n${content.texts.t('id', 'main.title')}`]);
  });
});
