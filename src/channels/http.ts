// Small HTTP pieces every webhook channel uses: a capped body reader, JSON answers, constant-time
// comparison of secrets.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads the body ourselves: capped, no JSON middleware on the hot path. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve('too_large');
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

export const jsonBody = (o: object): Buffer => Buffer.from(JSON.stringify(o));

export function answer(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
}

/**
 * Answers and closes the connection at once, reading nothing more of the request: for a caller who
 * is not who it says (wrong secret) or sends too much. Keeping such a connection open while a slow
 * body trickles in would let anyone tie up the server.
 */
export function refuse(res: ServerResponse, status: number, body: Buffer): void {
  res.shouldKeepAlive = false;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' });
  res.end(body, () => res.socket?.destroy());
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A constant-time check of a shared secret (hashed first, so lengths do not matter). */
export function secretChecker(expected: string): (given: string | undefined) => boolean {
  const want = digest(expected);
  return (given) => given !== undefined && timingSafeEqual(digest(given), want);
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  return secretChecker(expected)(given);
}
