// Encryption at rest of what people wrote: inbox entries, outbox messages and sessions are sealed
// with AES-256-GCM before they reach Redis (and so its append-only file). A sealed record names the
// key it was sealed with, so keys can be rotated: new records use DATA_ENCRYPTION_KEY, older ones are
// still opened with the keys in DATA_ENCRYPTION_KEYS_OLD.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'e1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CipherError extends Error {}

/**
 * Random IVs, drawn from the system's generator in bulk (a call per record costs more than the
 * encryption of a short one): each IV is still 96 random bits, used once.
 */
const IV_POOL = 512;
let pool = Buffer.alloc(0);
let taken = 0;
function nextIv(): Buffer {
  if (taken >= pool.length) {
    pool = randomBytes(IV_BYTES * IV_POOL);
    taken = 0;
  }
  const iv = pool.subarray(taken, taken + IV_BYTES);
  taken += IV_BYTES;
  return iv;
}

/** A key's public name: the first 8 characters of its SHA-256 (base64url). Reveals nothing of the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

/** Reads a key given as base64 (32 bytes); throws with a message naming what is wrong. */
export function parseKey(base64: string, name = 'DATA_ENCRYPTION_KEY'): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== base64.trim().replace(/=+$/, '')) {
    throw new CipherError(`${name} must be 32 random bytes in base64 (e.g. the output of: openssl rand -base64 32)`);
  }
  return key;
}

export class DataCipher {
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly current: Buffer,
    old: readonly Buffer[] = [],
    /** Made for this process only (the demo): nothing sealed with it can be read after a restart. */
    readonly throwaway = false,
  ) {
    if (current.length !== 32) throw new CipherError('an encryption key must be 32 bytes');
    this.keyId = keyIdOf(current);
    for (const k of [current, ...old]) this.keys.set(keyIdOf(k), k);
  }

  /** A key made now, for a process that keeps nothing (the demo). */
  static throwaway(): DataCipher {
    return new DataCipher(randomBytes(32), [], true);
  }

  /** From the configuration: the current key and, comma-separated, older ones still to be read. */
  static fromConfig(current: string, old?: string): DataCipher {
    const olds = (old ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map((k) => parseKey(k, 'DATA_ENCRYPTION_KEYS_OLD'));
    return new DataCipher(parseKey(current), olds);
  }

  /** "e1.<key id>.<iv + tag + ciphertext, base64url>" */
  seal(plain: string): string {
    const iv = nextIv();
    const c = createCipheriv('aes-256-gcm', this.current, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${VERSION}.${this.keyId}.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
  }

  /**
   * The same as bytes, for records that must stay small (a million subscribers' addresses): the key
   * id (8 ASCII bytes), then iv, tag and ciphertext.
   */
  sealBytes(plain: string): Buffer {
    const iv = nextIv();
    const c = createCipheriv('aes-256-gcm', this.current, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from(this.keyId, 'ascii'), iv, c.getAuthTag(), body]);
  }

  /** Opens what sealBytes made; throws CipherError as open() does. */
  openBytes(raw: Buffer): string {
    if (raw.length < 8 + IV_BYTES + TAG_BYTES) throw new CipherError('sealed record too short');
    const id = raw.subarray(0, 8).toString('ascii');
    const key = this.keys.get(id);
    if (!key) throw new CipherError(`sealed with a key this process does not have (${id})`);
    try {
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(8, 8 + IV_BYTES));
      d.setAuthTag(raw.subarray(8 + IV_BYTES, 8 + IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(raw.subarray(8 + IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
    } catch {
      throw new CipherError('sealed record altered or sealed with another key');
    }
  }

  /** Opens a sealed record; throws CipherError if it is not one, its key is unknown, or it was altered. */
  open(sealed: string): string {
    const first = sealed.indexOf('.');
    const second = sealed.indexOf('.', first + 1);
    if (first < 0 || second < 0 || sealed.slice(0, first) !== VERSION) throw new CipherError('not a sealed record');
    const key = this.keys.get(sealed.slice(first + 1, second));
    if (!key) throw new CipherError(`sealed with a key this process does not have (${sealed.slice(first + 1, second)})`);
    const raw = Buffer.from(sealed.slice(second + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new CipherError('sealed record too short');
    try {
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
    } catch {
      throw new CipherError('sealed record altered or sealed with another key');
    }
  }
}
