// Structured JSON logs (pino). Never log message text, names or phone numbers: only ids and hashes.
import { createHmac, randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

/** `fd`: 1 (standard output, the server's) or 2 (standard error: commands whose output is data). */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  const options = { level, base: { app: 'waspada' } };
  return fd === 1 ? pino(options) : pino(options, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * A reference to a user for logs: the same within one process (to follow one conversation), keyed
 * with a secret that lives only in this process, so that it cannot be turned back into a platform id
 * (those are small numbers; a plain hash of one is found by trying them all).
 */
const LOG_KEY = randomBytes(32);
export function userRef(userKey: string): string {
  return createHmac('sha256', LOG_KEY).update(userKey).digest('base64url').slice(0, 12);
}
