import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { runCli } from '../helpers/cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';

const content = loadContent();
const t = (lang: 'id' | 'en', key: string, vars?: Record<string, unknown>) => content.texts.t(lang, key, vars);
const fact = (lang: 'id' | 'en', id: string) => content.data.facts.get(id)!.text[lang];

/** Asserts that each expected text appears in the output, in this order. */
function expectInOrder(output: string, expected: string[]) {
  let from = 0;
  for (const e of expected) {
    const at = output.indexOf(e, from);
    expect(at, `"${e.slice(0, 60)}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + e.length;
  }
}

// At the emergency screen: "3" skips the question where one is, then "1" goes on where one was.
const WALK = ['/start', '1', '2', '7', 'Kamboja', '3', '3', 'menu', '7', '1', '1', 'tolong', '3', '1', 'bahasa', '2', 'stop'];

describe('terminal chat (npm run chat)', () => {
  it('walks the menu and flows in Bahasa Indonesia, with an emergency and a language switch on the way', async () => {
    const r = await runCli(['chat', '--lang', 'id'], WALK.join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectInOrder(r.stdout, [
      t('id', 'welcome.privacy'),
      t('id', 'main.title'),
      t('id', 'guide.intro'),
      t('id', 'guide.country.ask'),
      t('id', 'guide.country.no_agreement'),
      fact('id', 'no_agreement_kh_mm_th'),
      t('id', 'main.title'),
      t('id', 'signs.intro'),
      t('id', 'main.title'),
      t('id', 'contacts.menu.title'),
      content.data.contacts.get('polri_110')!.channels[0]!.value,
      t('id', 'main.title'),
      t('id', 'checker.flow.ask'),
      t('id', 'emergency.intro'),
      t('id', 'emergency.where'),
      t('id', 'checker.flow.ask'),
      t('id', 'language.ask'),
      t('en', 'language.changed'),
      t('en', 'checker.flow.ask'),
      t('en', 'stop.bye'),
    ]);
  });

  it('walks the same path in English', async () => {
    const r = await runCli(['chat', '--lang', 'en'], WALK.join('\n') + '\n');
    expect(r.code).toBe(0);
    expectInOrder(r.stdout, [
      t('en', 'welcome.privacy'),
      t('en', 'main.title'),
      t('en', 'guide.intro'),
      t('en', 'guide.country.no_agreement'),
      fact('en', 'no_agreement_kh_mm_th'),
      t('en', 'signs.intro'),
      t('en', 'contacts.menu.title'),
      t('en', 'checker.flow.ask'),
      t('en', 'emergency.intro'),
      t('en', 'checker.flow.ask'),
      t('en', 'language.ask'),
      t('en', 'language.changed'),
      t('en', 'stop.bye'),
    ]);
  });

  it('asks for the language when none is given, and shows numbered choices', async () => {
    const r = await runCli(['chat'], 'halo\n2\n');
    expect(r.code).toBe(0);
    expectInOrder(r.stdout, [t('id', 'language.ask'), `  1. ${t('id', 'language.id')}`, `  2. ${t('id', 'language.en')}`, t('en', 'welcome.privacy')]);
  });

  const OFFER =
    'Lowongan admin CS di Sihanoukville Kamboja, gaji 18 juta per bulan, tanpa pengalaman, tiket dan visa turis ditanggung perusahaan, berangkat minggu depan, hubungi WA 0812-7788-9900 segera, slot terbatas';

  it('an offer pasted as the very first message gets its verdict, then the welcome', async () => {
    const r = await runCli(['chat', '--lang', 'id'], `${OFFER}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectInOrder(r.stdout, ['RISIKO TINGGI', 'visa turis', t('id', 'checker.verdict.advice_title'), t('id', 'welcome.privacy')]);
  });

  it('an offer pasted at the main menu gets its verdict, not the "reply with a number" hint', async () => {
    const r = await runCli(['chat', '--lang', 'id'], `/start\n1\n${OFFER}\n`);
    expect(r.code).toBe(0);
    const after = r.stdout.split(t('id', 'main.title'))[1]!;
    expectInOrder(after, ['RISIKO TINGGI', 'Sihanoukville', t('id', 'checker.flow.next')]);
    expect(after).not.toContain(t('id', 'engine.hint.choice', { count: 8 }));
  });

  it('an offer pasted at the guide’s country question is checked after a yes, then the question comes back', async () => {
    const r = await runCli(['chat', '--lang', 'en'], ['/start', '1', '2', '7', OFFER, '1', '4', 'Taiwan'].join('\n') + '\n');
    expect(r.code).toBe(0);
    expectInOrder(r.stdout, [
      t('en', 'guide.country.ask'),
      t('en', 'engine.offer.confirm'),
      `  1. ${t('en', 'engine.offer.yes')}`,
      'HIGH RISK',
      t('en', 'checker.flow.next'),
      t('en', 'guide.country.ask'),
    ]);
  });

  it('a photo, a voice note, a sticker and a location (typed as [foto] and so on) each get their own line, and the menu question stays', async () => {
    const r = await runCli(['chat', '--lang', 'id'], ['/start', '1', '[foto]', '[suara]', '[stiker]', '[lokasi]', '2'].join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const after = r.stdout.slice(r.stdout.indexOf(t('id', 'main.title')));
    expectInOrder(after, [t('id', 'engine.media.picture'), t('id', 'engine.media.voice'), t('id', 'engine.media.sticker'), t('id', 'engine.media.location'), t('id', 'guide.intro')]);
    expect(after).not.toContain(t('id', 'engine.hint.choice', { count: 8 }));
  });

  it('a photo with an offer as its caption gets the offer checked', async () => {
    const r = await runCli(['chat', '--lang', 'id'], `/start\n1\n[foto] ${OFFER.replace(/\n/g, ' ')}\n`);
    expect(r.code).toBe(0);
    expectInOrder(r.stdout.slice(r.stdout.indexOf(t('id', 'main.title'))), ['RISIKO TINGGI', 'Sihanoukville']);
  });

  it('exits cleanly on empty input', async () => {
    const r = await runCli(['chat', '--lang', 'id'], '');
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses an unknown language flag with a clear message', async () => {
    const r = await runCli(['chat', '--lang', 'fr'], '');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--lang must be id or en');
  });

  it('exits 1 with a clear message when REDIS_URL points where no Redis answers', async () => {
    const r = await runCli(['chat', '--lang', 'id'], 'halo\n', { REDIS_URL: 'redis://127.0.0.1:1/0' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^waspada: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0/);
  });

  it('exits 1 naming the variable when the configuration is wrong', async () => {
    const r = await runCli(['chat'], '', { REDIS_URL: 'localhost:6379' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REDIS_URL: REDIS_URL must look like redis://host:6379/0');
  });

  it('with REDIS_URL set, a second run continues the same conversation under the prefix', async () => {
    const prefix = testPrefix('terminal');
    const env = { REDIS_URL, REDIS_PREFIX: prefix, DATA_ENCRYPTION_KEY: DATA_KEY };
    const first = await runCli(['chat', '--user', 'u1'], 'halo\n2\n1\n', env);
    expect(first.stdout).toContain(t('en', 'main.title'));
    const second = await runCli(['chat', '--user', 'u1'], '8\n', env);
    expect(second.stdout.trim()).toContain(t('en', 'main.settings_title'));
    const redis = plainRedis();
    expect(await redis.exists(`${prefix}:session:{terminal:u1}`)).toBe(1);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });
});
