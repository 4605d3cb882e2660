import { describe, expect, it } from 'vitest';
import { checkOffer } from '../../src/checker/index.js';

describe('bad and odd input never crashes and gets a sensible answer', () => {
  it('empty text: low risk with note "empty" and a request for the offer text', () => {
    for (const t of ['', '   ', '\n\n']) {
      const v = checkOffer(t);
      expect(v.risk).toBe('low');
      expect(v.notes).toContain('empty');
      expect(v.advice).toContain('send_offer_text');
    }
  });

  it('a single word is too short', () => {
    const v = checkOffer('lowongan');
    expect(v.risk).toBe('low');
    expect(v.notes).toContain('too_short');
  });

  it('20,000 characters are cut with the note "truncated"', () => {
    const long = 'Lowongan operator pabrik di Bekasi, gaji UMK, BPJS. '.repeat(400);
    expect(long.length).toBeGreaterThanOrEqual(20_000);
    const v = checkOffer(long);
    expect(v.notes).toContain('truncated');
    expect(v.risk).toBe('low');
  });

  it('a long scam still quotes evidence from the kept part', () => {
    const v = checkOffer(`Kerja di Kamboja, visa turis, paspor dipegang bos, gaji $1500 tanpa pengalaman. ${'x '.repeat(12_000)}`);
    expect(v.notes).toContain('truncated');
    expect(v.risk).toBe('high');
  });

  it('another language is noted as unsupported and not judged high', () => {
    for (const t of [
      '招聘客服，月薪一千美元，无需经验，包吃包住，请联系我们。',
      'Ζητείται υπάλληλος για εξυπηρέτηση πελατών, μισθός 1000 ευρώ το μήνα, χωρίς εμπειρία.',
      'Wir suchen Mitarbeiter für die Kundenbetreuung in unserem Büro, Vollzeit, gute Bezahlung und nette Kollegen.',
    ]) {
      const v = checkOffer(t);
      expect(v.notes).toContain('unsupported_language');
      expect(v.risk).not.toBe('high');
    }
  });

  it('only a link: note "only_link", the link is extracted, the text asked for; a red flag in the link itself (a scam hub) is not shown under a green verdict', () => {
    const v = checkOffer('https://bit.ly/loker-kamboja-2025');
    expect(v.notes).toContain('only_link');
    expect(v.facts.links).toEqual(['https://bit.ly/loker-kamboja-2025']);
    expect(v.flags.map((f) => f.id)).toEqual(['risky_destination']);
    expect(v.risk).toBe('medium');
    expect(v.advice[0]).toBe('send_offer_text');
    const plain = checkOffer('https://bit.ly/3xYz9Qw');
    expect([plain.notes, plain.flags, plain.risk]).toEqual([['only_link'], [], 'low']);
  });

  it('only a phone number: note "only_phone", the number is extracted', () => {
    const v = checkOffer('+62 812-3456-7890');
    expect(v.notes).toContain('only_phone');
    expect(v.facts.phones).toEqual(['+6281234567890']);
    expect(v.risk).toBe('low');
  });

  it('only an image caption asks for the text of the offer', () => {
    for (const t of ['<Media omitted>', 'IMG-20250101-WA0003.jpg', 'Lihat gambar di atas ya kak', '[foto]']) {
      const v = checkOffer(t);
      expect(v.notes).toContain('image_only');
      expect(v.advice).toContain('send_offer_text');
      expect(v.risk).toBe('low');
    }
  });

  it('an everyday message is not a job offer', () => {
    const v = checkOffer('Ma, nanti sore aku pulang telat ya, jemput adik di sekolah dulu.');
    expect(v.notes).toContain('not_an_offer');
    expect(v.risk).toBe('low');
  });

  it('non-string input does not throw', () => {
    expect(() => checkOffer(undefined as unknown as string)).not.toThrow();
    expect(() => checkOffer(null as unknown as string)).not.toThrow();
    expect(() => checkOffer(12345 as unknown as string)).not.toThrow();
    expect(checkOffer(undefined as unknown as string).notes).toContain('empty');
  });

  it('odd characters (control, lone surrogates, RTL marks) do not break quoting', () => {
    const v = checkOffer('Kerja di Kamboja \u0000\u202e visa turis \ud800 paspor ditahan agen, gaji $1000 tanpa pengalaman');
    expect(v.risk).toBe('high');
    for (const f of v.flags) for (const e of f.evidence) expect(typeof e).toBe('string');
  });
});
