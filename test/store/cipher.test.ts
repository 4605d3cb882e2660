import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CipherError, DataCipher, keyIdOf, parseKey } from '../../src/store/cipher.js';

describe('encryption at rest', () => {
  const key = randomBytes(32);
  it('a sealed record opens to the same text and shows none of it', () => {
    const c = new DataCipher(key);
    const text = 'tolong, paspor saya ditahan, nama saya Ratnasari, +60 11-2345 9876 🆘';
    const sealed = c.seal(text);
    expect(sealed.startsWith(`e1.${keyIdOf(key)}.`)).toBe(true);
    expect(sealed).not.toContain('Ratnasari');
    expect(c.open(sealed)).toBe(text);
    expect(c.seal(text)).not.toBe(sealed);
  });

  it('after a rotation, records sealed with the old key still open; new ones use the new key', () => {
    const oldKey = randomBytes(32);
    const before = new DataCipher(oldKey).seal('lama');
    const after = new DataCipher(key, [oldKey]);
    expect(after.open(before)).toBe('lama');
    expect(after.seal('baru').split('.')[1]).toBe(keyIdOf(key));
    expect(() => new DataCipher(key).open(before)).toThrow(CipherError);
  });

  it('sealed as bytes (for small records): opens after a rotation, and an altered, cut or foreign record is refused', () => {
    const oldKey = randomBytes(32);
    const sealed = new DataCipher(oldKey).sealBytes('6281234567890@c.us');
    expect(sealed.length).toBe(8 + 12 + 16 + 18);
    expect(sealed.toString('latin1')).not.toContain('6281234567890');
    const c = new DataCipher(key, [oldKey]);
    expect(c.openBytes(sealed)).toBe('6281234567890@c.us');
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => c.openBytes(altered)).toThrow(CipherError);
    expect(() => c.openBytes(sealed.subarray(0, 20))).toThrow(CipherError);
    expect(() => new DataCipher(key).openBytes(sealed)).toThrow(CipherError);
  });

  it('an altered record, or something that is not one, is refused', () => {
    const c = new DataCipher(key);
    const sealed = c.seal('halo');
    // A character well inside the record (the last one may only carry padding bits of base64).
    const at = sealed.length - 10;
    const altered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'Q' : 'A') + sealed.slice(at + 1);
    expect(() => c.open(altered)).toThrow(CipherError);
    expect(() => c.open('{"plain":"json"}')).toThrow(CipherError);
  });

  it('a key must be 32 bytes of base64, and the message says how to make one', () => {
    expect(() => parseKey('short')).toThrow(/32 random bytes in base64.*openssl rand -base64 32/);
    expect(parseKey(key.toString('base64'))).toEqual(key);
    expect(() => DataCipher.fromConfig(key.toString('base64'), 'x')).toThrow(/DATA_ENCRYPTION_KEYS_OLD/);
  });

  it('never uses an IV twice: 3,000 records of the same text (several refills of the IV pool) are all different and all open', () => {
    const c = new DataCipher(key);
    const sealed = Array.from({ length: 3000 }, () => c.seal('sama'));
    const ivs = new Set(sealed.map((x) => Buffer.from(x.split('.')[2]!, 'base64url').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(3000);
    for (const x of sealed.slice(-5)) expect(c.open(x)).toBe('sama');
  });
});
