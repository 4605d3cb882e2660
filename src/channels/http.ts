// Small HTTP pieces every channel uses: a capped body reader, JSON answers, constant-time comparison
// of secrets; and for sending, a keep-alive agent and the hook that runs before a request's bytes leave.
import { timingSafeEqual } from 'node:crypto';
import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { SendHooks } from './port.js';

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

/**
 * A constant-time check of a shared secret: the same comparison, of the secret's length, whatever is
 * given (one of another length is compared as the secret with itself, and refused). No hash per call:
 * this runs on every webhook.
 */
export function secretChecker(expected: string): (given: string | undefined) => boolean {
  const want = Buffer.from(expected, 'utf8');
  return (given) => {
    if (given === undefined) return false;
    const g = Buffer.from(given, 'utf8');
    const same = g.length === want.length;
    return timingSafeEqual(same ? g : want, want) && same;
  };
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  return secretChecker(expected)(given);
}

/** A keep-alive agent for a platform's API (https or, for local fakes, http). */
export function keepAliveAgent(apiRoot: string): HttpAgent | HttpsAgent {
  const o = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 64 };
  return apiRoot.startsWith('https:') ? new HttpsAgent(o) : new HttpAgent(o);
}

/**
 * Runs `hooks.written` just before the request's bytes reach the socket. A request is given its socket
 * (the 'socket' event) right before it flushes what it buffered, in the same turn. On a socket still
 * connecting, the bytes wait for the connection: the hook runs when it connects, listening before the
 * request's own write does (over TLS the bytes leave after the handshake: a process killed during a
 * new connection's handshake leaves its message marked and unsent, counted in doubt; kept-alive
 * sockets have no such gap).
 */
export function beforeBytes(req: ClientRequest, hooks: SendHooks | undefined): void {
  if (!hooks) return;
  req.once('socket', (socket: Socket) => {
    if (!socket.connecting) return hooks.written();
    socket.once('connect', () => hooks.written());
  });
}
