// GET /metrics: who may read it, and the answer.
//
// The metrics hold nothing personal, but they tell anyone how busy the hotline is, how many offers are
// checked and when the outbox falls behind: not for the public internet. The rule:
// - METRICS_TOKEN set: only requests with `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise), from
//   anywhere (a Prometheus elsewhere, through the public proxy).
// - METRICS_TOKEN unset: only callers on this machine or a private network (loopback, 10/8, 172.16/12,
//   192.168/16, IPv6 unique-local), so that a Prometheus beside it (the same compose network) scrapes
//   without a token; and never a request that came through a proxy (it carries X-Forwarded-For,
//   Forwarded or X-Real-IP: the proxy's own address is private, its caller may not be). 403 otherwise.
//   A proxy that adds none of those headers must not pass /metrics on (or set METRICS_TOKEN).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import { secretChecker } from '../channels/http.js';
import { silentLogger, type Logger } from '../log.js';
import type { PromMetrics } from './prometheus.js';

export type Access = { ok: true } | { ok: false; status: 401 | 403; error: string };

const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** Whether an address (as a socket gives it) is this machine's or a private network's. */
export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIPv4(a)) {
    const [x, y] = a.split('.').map(Number) as [number, number];
    return x === 127 || x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168);
  }
  return a === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(a);
}

/** Who may read /metrics (see above). */
export function metricsAccess(token: string | undefined): (req: IncomingMessage) => Access {
  if (token) {
    const matches = secretChecker(token);
    return (req) => {
      const auth = req.headers.authorization;
      const given = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      return matches(given) ? { ok: true } : { ok: false, status: 401, error: '/metrics needs the header Authorization: Bearer <METRICS_TOKEN>' };
    };
  }
  return (req) => {
    if (PROXY_HEADERS.some((h) => req.headers[h] !== undefined)) {
      return { ok: false, status: 403, error: '/metrics is not served through a proxy while METRICS_TOKEN is unset: set METRICS_TOKEN, or scrape the process directly' };
    }
    if (!isPrivateAddress(req.socket.remoteAddress)) {
      return { ok: false, status: 403, error: '/metrics answers only this machine and private networks while METRICS_TOKEN is unset' };
    }
    return { ok: true };
  };
}

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const b = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': b.length, ...headers }).end(b);
}

/** GET /metrics: the access rule, then the Prometheus text (503 when it could not be made). */
export function metricsEndpoint(metrics: PromMetrics, token: string | undefined, log: Logger = silentLogger): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const allowed = metricsAccess(token);
  return async (req, res) => {
    const access = allowed(req);
    if (!access.ok) return json(res, access.status, { error: access.error }, access.status === 401 ? { 'www-authenticate': 'Bearer realm="metrics"' } : {});
    try {
      const { contentType, text } = await metrics.scrape();
      const body = Buffer.from(text);
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length, 'cache-control': 'no-store' }).end(body);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'metrics could not be made');
      json(res, 503, { error: 'metrics unavailable' });
    }
  };
}
