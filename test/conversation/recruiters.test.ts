import { describe, expect, it } from 'vitest';
import { normaliseContact } from '../../src/checker/contacts.js';
import { RecruiterHasher } from '../../src/conversation/recruiters.js';

describe('recruiter contacts', () => {
  it.each([
    ['+62 812-3456-7890', 'tel:6281234567890'],
    ['0812 3456 7890', 'tel:6281234567890'],
    ['https://wa.me/6281234567890', 'tel:6281234567890'],
    ['api.whatsapp.com/send?phone=6281234567890', 'tel:6281234567890'],
    ['https://www.Example.COM/Jobs/', 'url:example.com/Jobs'],
    // A Telegram handle and its t.me link are one contact; e-mail addresses are their own kind.
    ['t.me/LokerKamboja', 'at:lokerkamboja'],
    ['https://t.me/LokerKamboja/', 'at:lokerkamboja'],
    ['@LokerKamboja', 'at:lokerkamboja'],
    ['HRD.Dubai@Gmail.com', 'mail:hrd.dubai@gmail.com'],
    // A Philippine mobile written locally, or in full, is one number (not an Indonesian one).
    ['0917 123 4567', 'tel:639171234567'],
    ['+63 917 123 4567', 'tel:639171234567'],
  ])('%s is known as %s', (raw, norm) => {
    expect(normaliseContact(raw)).toBe(norm);
  });

  it('the same contact written differently gets one hash; another secret gives another hash', () => {
    const h = new RecruiterHasher('secret-one-0123456789');
    const found = h.contacts(['0812-3456-7890', '+6281234567890', 'wa.me/6281234567890', 'bit.ly/abc']);
    expect(found).toHaveLength(2);
    expect(found[0]!.shown).toBe('0812-3456-7890');
    expect(found[0]!.hash).not.toContain('6281234567890');
    expect(new RecruiterHasher('secret-two-0123456789').contacts(['0812-3456-7890'])[0]!.hash).not.toBe(found[0]!.hash);
  });

  it('official numbers and government sites cited in an offer are not counted as the recruiter’s', () => {
    const h = new RecruiterHasher('secret-one-0123456789', ['0800-1000', '+62 811-8080-141', 'https://siskop2mi.bp2mi.go.id']);
    const found = h.contacts(['0800 1000', 'wa.me/628118080141', 'https://www.bp2mi.go.id/lowongan', 'siskop2mi.bp2mi.go.id/x', 'bit.ly/loker']);
    expect(found.map((c) => c.shown)).toEqual(['bit.ly/loker']);
    const mail = new RecruiterHasher('secret-one-0123456789', ['pengaduan@kp2mi.example']);
    expect(mail.contacts(['pengaduan@kp2mi.example', 'info@bp2mi.go.id', 'rekrut@gmail.com']).map((c) => c.shown)).toEqual(['rekrut@gmail.com']);
  });
});
