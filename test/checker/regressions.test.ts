import { describe, expect, it } from 'vitest';
import { checkOffer } from '../../src/checker/index.js';

describe('checker regressions found in review', () => {
  it('a short offer that names no job word but has several warning signs is still judged high, with quotes', () => {
    const v = checkOffer("Massage therapists for a spa in Bahrain, 900 BHD. No certificate. Travel on tourist visa. 5 million guarantee so you don't run away.");
    expect(v.notes).not.toContain('not_an_offer');
    expect(v.risk).toBe('high');
    expect(v.flags.find((f) => f.id === 'tourist_visa')?.evidence[0]).toContain('tourist visa');
  });

  it('a terse Indonesian ad is not called another language', () => {
    const v = checkOffer('Dijual cepat motor Honda Beat 2019, surat lengkap, harga 9 juta nego. WA 0812xxxx');
    expect(v.notes).not.toContain('unsupported_language');
    expect(v.risk).toBe('low');
  });
});
