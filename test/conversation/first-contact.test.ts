// A new person's first messages on the real flows: the language question and the privacy notice
// answered as people type, and what they asked for before agreeing kept for them.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
const t = (lang: 'id' | 'en', key: string) => content.texts.t(lang, key);
let n = 0;
let u = 0;

let redis: Redis;
let service: ConversationService;
const prefix = testPrefix('first');

beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
  service = new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: 'test-hash-secret-0123456789' });
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('first contact, typed', () => {
  const say = (user: string, text: string, lang?: 'id' | 'en') =>
    service.handle({ channel: 'test', userId: user, messageId: `fc${++n}`, text, ...(lang ? { langHint: lang } : {}) });
  const last = (r: Awaited<ReturnType<typeof say>>) => r.replies.at(-1)!;
  const all = (r: Awaited<ReturnType<typeof say>>) => r.replies.map((x) => x.text).join('\n');
  const newUser = () => `fc-user-${++u}`;


  it.each(['setuju', 'Setuju kak', 'ya', 'ok', 'saya setuju'])('"%s" on the privacy notice agrees: the main menu follows', async (answer) => {
    const user = newUser();
    expect(last(await say(user, '/start', 'id')).text).toContain(t('id', 'welcome.privacy'));
    const r = await say(user, answer, 'id');
    expect(last(r).text).toContain(t('id', 'main.title'));
  });

  it.each([['en', 'I agree'], ['en', 'yes'], ['id', 'iya']] as const)('(%s) "%s" on the privacy notice agrees', async (lang, answer) => {
    const user = newUser();
    await say(user, 'hello', lang);
    expect(last(await say(user, answer, lang)).text).toContain(t(lang, 'main.title'));
  });

  it('"tidak" or "tidak setuju" on the privacy notice declines: nothing is kept', async () => {
    for (const answer of ['tidak', 'tidak setuju']) {
      const user = newUser();
      await say(user, '/start', 'id');
      const r = await say(user, answer, 'id');
      expect(all(r)).toContain(t('id', 'welcome.declined'));
    }
  });

  it('"lapor" typed on the privacy notice is kept: asked to agree first (no failure counted), then taken straight to the report', async () => {
    const user = newUser();
    await say(user, '/start', 'id');
    // Three times over: still an answer, never "not understood" and back to the start.
    for (let i = 0; i < 3; i++) {
      const r = await say(user, 'lapor', 'id');
      expect(last(r).text).toContain(t('id', 'welcome.agree_first'));
      expect(last(r).choices!.map((c) => c.id)).toEqual(['agree', 'more', 'decline']);
    }
    const agreed = await say(user, 'setuju', 'id');
    expect(all(agreed)).toContain(t('id', 'hotline.report.intro'));
    expect(last(agreed).text).toContain(t('id', 'hotline.report.ask.name'));
    expect(all(agreed)).not.toContain(t('id', 'main.title'));
    // The report goes on as usual, and later visits to the menu show the menu.
    expect(last(await say(user, 'Siti Aminah', 'id')).text).toContain(t('id', 'hotline.report.ask.age'));
    expect(last(await say(user, 'menu', 'id')).text).toContain(t('id', 'main.title'));
  });

  it('"cek tawaran kerja" typed before the language is chosen is kept through the language question and the privacy notice', async () => {
    const user = newUser();
    expect(last(await say(user, 'halo')).text).toContain(t('id', 'language.ask'));
    const kept = await say(user, 'cek tawaran kerja');
    expect(last(kept).text).toContain(t('id', 'welcome.language_first'));
    expect(last(await say(user, '1')).text).toContain(t('id', 'welcome.privacy'));
    const agreed = await say(user, '1');
    expect(last(agreed).text).toContain(t('id', 'checker.flow.ask'));
  });

  it('a number typed on the privacy notice points at its own list, never at the menu behind it', async () => {
    const user = newUser();
    await say(user, '/start', 'id');
    const r = await say(user, '4', 'id');
    expect(last(r).text).not.toContain(t('id', 'welcome.agree_first'));
    expect(last(r).choices!.map((c) => c.id)).toEqual(['agree', 'more', 'decline']);
    expect(last(await say(user, '1', 'id')).text).toContain(t('id', 'main.title'));
  });

  it.each(['nggak setuju', 'saya tidak setuju', 'belum setuju', 'tdk setuju'])('"%s" on the privacy notice declines', async (answer) => {
    const user = newUser();
    await say(user, '/start', 'id');
    expect(all(await say(user, answer, 'id'))).toContain(t('id', 'welcome.declined'));
  });

  it.each(["I don't agree", 'do not agree', 'not agree'])('(en) "%s" on the privacy notice declines', async (answer) => {
    const user = newUser();
    await say(user, '/start', 'en');
    expect(all(await say(user, answer, 'en'))).toContain(t('en', 'welcome.declined'));
  });

  it('a question or a word of a label is not kept ("aman?", "data"), and the first choice kept stays kept', async () => {
    const user = newUser();
    await say(user, '/start', 'id');
    expect(last(await say(user, 'aman?', 'id')).text).not.toContain(t('id', 'welcome.agree_first'));
    expect(last(await say(user, 'data', 'id')).text).not.toContain(t('id', 'welcome.agree_first'));
    expect(last(await say(user, 'lapor', 'id')).text).toContain(t('id', 'welcome.agree_first'));
    expect(last(await say(user, 'panduan migrasi aman', 'id')).text).toContain(t('id', 'welcome.agree_first'));
    expect(last(await say(user, 'setuju', 'id')).text).toContain(t('id', 'hotline.report.ask.name'));
  });

  it('what was kept waits for the agreement: from the emergency screen to the main menu, no report is started', async () => {
    const user = newUser();
    await say(user, '/start', 'id');
    await say(user, 'lapor', 'id');
    await say(user, 'tolong', 'id');
    await say(user, 'lewati', 'id');
    const menu = await say(user, '4', 'id'); // the screen's own "Menu utama" choice
    expect(all(menu)).not.toContain(t('id', 'hotline.report.ask.name'));
  });

  it('what was kept is dropped by declining: agreeing later shows the menu', async () => {
    const user = newUser();
    await say(user, '/start', 'id');
    await say(user, 'lapor', 'id');
    await say(user, 'tidak setuju', 'id');
    await say(user, 'halo', 'id');
    expect(last(await say(user, 'setuju', 'id')).text).toContain(t('id', 'main.title'));
  });
});

describe('a choice of the main menu typed at another question', () => {
  const say = (user: string, text: string) => service.handle({ channel: 'test', userId: user, messageId: `mc${++n}`, text, langHint: 'id' });
  const last = (r: Awaited<ReturnType<typeof say>>) => r.replies.at(-1)!;
  const all = (r: Awaited<ReturnType<typeof say>>) => r.replies.map((x) => x.text).join('\n');
  const agreed = async (user: string) => {
    await say(user, '/start');
    expect(last(await say(user, 'setuju')).text).toContain(t('id', 'main.title'));
    return user;
  };


  it('"lapor" among the guide’s topics starts the report at once, not "reply with a number"', async () => {
    const user = await agreed('mc-guide');
    expect(last(await say(user, 'panduan')).text).toContain(t('id', 'guide.menu.prompt'));
    const r = await say(user, 'lapor');
    expect(all(r)).toContain(t('id', 'hotline.report.intro'));
    expect(last(r).text).toContain(t('id', 'hotline.report.ask.name'));
  });

  it('"cek tawaran kerja" after reading the signs opens the offer check', async () => {
    const user = await agreed('mc-signs');
    await say(user, 'tanda perdagangan orang');
    expect(last(await say(user, 'cek tawaran kerja')).text).toContain(t('id', 'checker.flow.ask'));
  });

  it('the question’s own words win: after a verdict "lapor" reports the recruiter, "cek lagi" asks for another offer; on the emergency screen "lapor" asks for urgent help', async () => {
    const offer = 'Dicari admin ke Kamboja gaji 20 juta, visa turis, berangkat minggu depan, hubungi WA 081234567890 segera';
    const user = await agreed('mc-verdict');
    await say(user, offer);
    expect(last(await say(user, 'lapor')).text).toContain(t('id', 'hotline.recruiter.ask'));
    const again = await agreed('mc-again');
    await say(again, offer);
    expect(last(await say(again, 'cek lagi')).text).toContain(t('id', 'checker.flow.ask'));
    // In the guide, "cek lowongan" is its topic "Cek agen & lowongan", not the offer check.
    const reader = await agreed('mc-reader');
    await say(reader, 'panduan');
    expect(all(await say(reader, 'cek lowongan'))).toContain(t('id', 'guide.agency.title'));
    const plea = await agreed('mc-plea');
    await say(plea, 'tolong');
    await say(plea, 'lewati');
    expect(last(await say(plea, 'lapor')).text).toContain(t('id', 'emergency.safe.ask'));
  });

  it('a number there is still that question’s own choice', async () => {
    const user = await agreed('mc-number');
    await say(user, 'panduan');
    expect(last(await say(user, '3')).text).toContain(t('id', 'guide.documents.title'));
  });

  it('in the middle of a report (its summary’s corrections) a menu word does not take the person away', async () => {
    const user = await agreed('mc-report');
    await say(user, 'lapor');
    for (const answer of ['Siti', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'ya']) await say(user, answer);
    expect(last(await say(user, 'tidak')).text).toContain(t('id', 'hotline.report.fix_which'));
    const r = await say(user, 'status laporan saya');
    expect(all(r)).not.toContain(t('id', 'hotline.status.none'));
    expect(last(r).choices!.map((c) => c.id)).toContain('none');
  });
});

describe('the main menu asked for in words', () => {
  let k = 0;
  const atMenu = async (lang: 'id' | 'en') => {
    const user = `words-${++k}`;
    const say = (text: string) => service.handle({ channel: 'test', userId: user, messageId: `w${++n}`, text, langHint: lang });
    await say('/start');
    await say('1');
    return say;
  };


  it.each([
    ['id', 'saya mau lapor', 'hotline.report.ask.name'],
    ['id', 'keluarga saya hilang', 'hotline.report.ask.name'],
    ['id', 'nomor kbri', 'contacts.menu.title'],
    ['id', 'info loker kak', 'checker.flow.ask'],
    ['id', 'cek status', 'hotline.status.failed'], // (no hotline in this service: the status flow says it cannot open)
    ['id', 'ciri penipuan', 'signs.intro'],
    ['id', 'mau kerja ke luar negeri', 'guide.intro'],
    ['en', 'i want to report', 'hotline.report.ask.name'],
    ['en', 'embassy number', 'contacts.menu.title'],
    ['en', 'is this a scam', 'checker.flow.ask'],
  ] as const)('(%s) "%s" at the main menu is taken where it asks to go', async (lang, text, key) => {
    const say = await atMenu(lang);
    const r = await say(text);
    expect(r.replies.map((x) => x.text).join('\n')).toContain(t(lang, key));
  });

  it('a question, or words of two choices at once, is not taken anywhere: the menu answers as before', async () => {
    const say = await atMenu('id');
    const q = await say('apakah ada lowongan ke korea?');
    expect(q.replies.at(-1)!.text).toContain(t('id', 'main.long_text'));
    const both = await say('kontak paspor');
    expect(both.replies.at(-1)!.choices!.map((c) => c.id)).toContain('report');
    expect(both.replies.map((x) => x.text).join('\n')).not.toContain(t('id', 'contacts.menu.title'));
  });
});
