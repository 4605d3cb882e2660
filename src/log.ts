// Structured JSON logs (pino). Never log message text, names or phone numbers: only ids and hashes.
import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'waspada' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** A stable, non-reversible reference to a user for logs. */
export function userRef(userKey: string): string {
  return createHash('sha256').update(userKey).digest('base64url').slice(0, 12);
}
