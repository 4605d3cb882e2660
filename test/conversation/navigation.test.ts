// Typed words at the real flows' questions (no I/O): a question's own answer, typed in words, is taken
// as that answer, and not as a choice of the main menu that would take the person elsewhere.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { step } from '../../src/engine/step.js';
import { newSession, type Session } from '../../src/engine/types.js';

const content = loadContent();

/** A person (agreed, in Indonesian unless said) at `flow`'s step `at`, typing `text`: where they are after it. */
function typeAt(flow: string, at: string, text: string, from: Partial<Session> = {}): { where: string; session: Session } {
  const session: Session = { ...newSession(0), lang: 'id', consent: true, at: { flow, step: at }, ...from };
  let r = step(content.bundle, session, { kind: 'text', text, at: 1 });
  let n = 2;
  while (r.effects.length) r = step(content.bundle, r.session, { kind: 'effect', effect: r.effects[0]!.type, outcome: 'ok', at: n++ });
  const pos = r.session.at;
  return { where: pos ? `${pos.flow}.${pos.step}` : '(none)', session: r.session };
}

describe('the language question, answered in words', () => {
  it('"inggris", "bahasa inggris", "indonesian" choose the language on first contact (before: kept as the settings menu, "choose a language first")', () => {
    const newcomer = { lang: null, consent: false };
    for (const text of ['inggris', 'bahasa inggris', 'Bahasa Inggris kak', 'english dong']) {
      const { where, session } = typeAt('welcome', 'ask_lang', text, newcomer);
      expect(where, text).toBe('welcome.privacy');
      expect(session.lang, text).toBe('en');
      expect(session.vars.ahead, text).toBeUndefined();
    }
    for (const text of ['indonesian', 'bahasa indonesia', 'b indo', 'indo aja']) {
      const { where, session } = typeAt('welcome', 'ask_lang', text, newcomer);
      expect(where, text).toBe('welcome.privacy');
      expect(session.lang, text).toBe('id');
      expect(session.vars.ahead, text).toBeUndefined();
    }
  });

  it('at "change language", "inggris" switches to English (before: the settings menu)', () => {
    const { session } = typeAt('language', 'ask', 'inggris');
    expect(session.lang).toBe('en');
    expect(typeAt('language', 'ask', 'indonesian', { lang: 'en' }).session.lang).toBe('id');
  });
});

describe('a question’s own choice, named by a part of its label', () => {
  it('takes that choice instead of the main menu’s (before: "migrasi aman" at the alert topics opened the guide)', () => {
    const cases: [string, string, string, string][] = [
      ['subscribe', 'topics', 'migrasi aman', 'subscribe.language'],
      ['subscribe', 'topics', 'safe migration', 'subscribe.language'],
      ['subscribe', 'topics', 'penipuan kerja', 'subscribe.language'],
      ['subscribe', 'manage', 'negara tujuan', 'subscribe.language'],
      ['subscribe', 'manage', 'ubah topik dong', 'subscribe.topics'],
      ['check-offer', 'next_low', 'tanda bahaya', 'check-offer.after_learn'],
      ['signs', 'intro', 'online scam', 'signs.scam'],
      ['guide', 'menu', 'luar negeri', 'guide.abroad'],
    ];
    for (const [flow, at, text, to] of cases) expect(typeAt(flow, at, text).where, `${flow}.${at} "${text}"`).toBe(to);
  });

  it('not for a choice of the main menu named elsewhere', () => {
    // "migrasi aman" names no choice of the guide's topics: the guide's start, as before
    expect(typeAt('guide', 'ways', 'migrasi aman').where).toBe('guide.menu');
  });
});

describe('a word said not to be wanted', () => {
  it('"gak lagi kak", "tidak lagi", "jangan lapor" after a verdict are not "check another" or "report" (before: another offer was asked for)', () => {
    for (const text of ['gak lagi kak', 'tidak lagi', 'nggak usah lagi', 'jangan lapor', 'no more, thanks']) {
      const { where } = typeAt('check-offer', 'next', text);
      expect(where, text).not.toBe('check-offer.ask');
      expect(where, text).not.toBe('check-offer.share');
    }
    // the words themselves still count, and a no that is the word itself ("tidak ada kabar")
    expect(typeAt('check-offer', 'next', 'cek lagi dong').where).toBe('check-offer.ask');
    expect(typeAt('guide', 'menu', 'adik saya tidak ada kabar').where).toBe('report-missing.name');
  });
});

describe('questions the main menu’s words do not leave', () => {
  it('"english" or "bahasa indonesia" at the alerts’ language question stays there (its choices are the languages), never the settings', () => {
    for (const text of ['english', 'bahasa indonesia', 'inggris']) expect(typeAt('subscribe', 'language', text).where, text).not.toBe('main.settings');
  });

  it('"lapor" after a verdict with nothing to report, or on the recruiter-report question, is never the missing-relative report', () => {
    for (const at of ['next_low', 'after_learn_low', 'unclear', 'report_official', 'report_official_home']) {
      expect(typeAt('check-offer', at, 'lapor').where, at).not.toMatch(/^report-missing/);
    }
    // On "send a report about this recruiter?", "lapor" or "ya lapor" is yes: the contact is asked next.
    for (const text of ['lapor', 'ya lapor', 'report']) expect(typeAt('check-offer', 'share', text).where, text).toBe('check-offer.share_contact');
  });

  it('"hp saya hilang" is no missing relative; "anak saya hilang", "suami saya hilang di malaysia" and "hilang" are', () => {
    expect(typeAt('main', 'menu', 'hp saya hilang').where).toBe('main.menu');
    for (const text of ['anak saya hilang', 'suami saya hilang di malaysia', 'hilang']) expect(typeAt('main', 'menu', text).where, text).toBe('report-missing.name');
  });

  it('"lapor" where no case of this chat is found starts a new report, as its choice "Buat laporan baru" does', () => {
    expect(typeAt('status', 'none', 'lapor').where).toBe('report-missing.name');
  });
});

describe('a greeting at a question', () => {
  it('"halo kak", "assalamualaikum wr wb", "selamat pagi", "P", "hello" are greeted back with the same choices, and no failure is counted', () => {
    for (const [flow, at, text] of [['main', 'menu', 'halo kak'], ['main', 'menu', 'assalamualaikum wr wb'], ['guide', 'menu', 'selamat pagi'], ['main', 'menu', 'P'], ['welcome', 'privacy', 'hello']] as const) {
      const session: Session = { ...newSession(0), lang: 'id', consent: flow !== 'welcome', at: { flow, step: at }, failures: 2 };
      const r = step(content.bundle, session, { kind: 'text', text, at: 1 });
      expect(r.session.at, text).toEqual({ flow, step: at });
      expect(r.session.failures, text).toBe(2);
      expect(content.renderer.reply('id', r.replies.at(-1)!).text, text).toContain(content.texts.t('id', 'engine.greeting'));
    }
  });

  it('a greeting with more in it is not one: "halo, anak saya hilang" is taken for what it says', () => {
    const session: Session = { ...newSession(0), lang: 'id', consent: true, at: { flow: 'main', step: 'menu' } };
    const r = step(content.bundle, session, { kind: 'text', text: 'halo, anak saya hilang', at: 1 });
    expect(r.session.at?.flow).toBe('report-missing');
  });
});

describe('"menu kak" in the middle of a report', () => {
  it('goes to the menu, and is not taken for the relative’s name', () => {
    const { where, session } = typeAt('report-missing', 'name', 'menu kak');
    expect(where).toBe('main.menu');
    expect(session.vars.r_name ?? null).toBeNull();
  });
});
