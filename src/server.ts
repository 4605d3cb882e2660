// Builds the HTTP side from the parts: the channels' webhooks, /healthz and /metrics (plain Node handlers,
// before Express: a health check must be answered as soon as the process listens) and the Express app for
// everything else, loaded by the first request that needs it (Express and its parsers cost more to
// load than the rest of the server).
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';
import type { RedisClient } from './store/connection.js';
import type { Channel, Routes } from './channels/port.js';
import type { Inbox } from './conversation/inbox.js';
import type { HotlineService } from './hotline/service.js';
import { silentLogger, type Logger } from './log.js';
import type { RedisOutbox } from './outbox/outbox.js';
import { metricsEndpoint } from './ops/endpoint.js';
import type { PromMetrics } from './ops/prometheus.js';
import type { CampaignApi, StaffApiDeps } from './staff/api.js';
import type { StaffAccounts } from './staff/accounts.js';
import type { StaffTokens } from './staff/tokens.js';
import { withTimeout } from './timeout.js';

export interface AppParts {
  redis: RedisClient;
  inbox: Inbox;
  outbox: RedisOutbox;
  channels: ReadonlyMap<string, Channel>;
  log?: Logger;
  /** With `tokens`: the staff API at /staff/api (src/staff/api.ts). */
  hotline?: HotlineService;
  tokens?: StaffTokens;
  /** Campaigns for the staff API (built when first asked). */
  broadcast?: () => Promise<CampaignApi>;
  /** The dashboard's numbers for the staff API (src/staff/metrics.ts). */
  metrics?: StaffApiDeps['metrics'];
  /** The staff web console at /staff (src/staff/web/): its accounts, the Redis prefix of its sessions, its public address (STAFF_CONSOLE_URL). */
  console?: { accounts: StaffAccounts; prefix: string; publicUrl?: string };
  /** Express's "trust proxy" (TRUST_PROXY): whose X-Forwarded-For and X-Forwarded-Proto are believed. */
  trustProxy?: string | number | boolean;
  /** The picture readers (OCR): workers, pictures being read and waiting, counts. */
  pictures?: { health(): Record<string, unknown> };
  /** GET /metrics (src/ops/): the process's metrics, and the token that reads them (METRICS_TOKEN). */
  prometheus?: { metrics: PromMetrics; token?: string };
}

const INTERNAL_ERROR = Buffer.from('{"error":"internal error"}');

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * GET /healthz: 200 with the state of Redis, the inbox, each channel with its outbox (its counts, the
 * messages pending and how long the oldest waiting one has waited) and the picture readers; 503 when
 * Redis is down.
 */
function health(parts: AppParts): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const up = await withTimeout(parts.redis.ping(), 1000, 'timeout').then(
      () => true,
      () => false,
    );
    const local = parts.outbox.local();
    const [counts, oldest] = up
      ? await Promise.all([withTimeout(parts.outbox.counts(), 1000, 'timeout').catch(() => null), withTimeout(parts.outbox.oldestWaiting(), 1000, 'timeout').catch(() => null)])
      : [null, null];
    const channels: Record<string, unknown> = {};
    for (const [name, channel] of parts.channels) {
      const waited = oldest ? { oldest_waiting_ms: oldest[name] ?? null } : {};
      channels[name] = { ...channel.health(), outbox: { ...(counts?.[name] ?? {}), ...waited, ...local[name] } };
    }
    const inbox = { pending: up ? await parts.inbox.pending() : null, lastError: parts.inbox.lastError };
    const ocr = parts.pictures?.health();
    sendJson(req, res, up ? 200 : 503, Buffer.from(JSON.stringify({ status: up ? 'ok' : 'degraded', redis: up ? 'up' : 'down', inbox, channels, ...(ocr ? { ocr } : {}) })));
  };
}

const failed = (log: Logger, req: IncomingMessage, res: ServerResponse) => (e: Error) => {
  log.error({ err: e.message }, 'request failed');
  if (!res.headersSent) sendJson(req, res, 500, INTERNAL_ERROR);
  else res.destroy();
};

/** /healthz and /metrics, answered without Express: true when the request was one of them. */
function opsRoutes(parts: AppParts, log: Logger, healthz: ReturnType<typeof health>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const metrics = parts.prometheus ? metricsEndpoint(parts.prometheus.metrics, parts.prometheus.token, log) : null;
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) healthz(req, res).catch(failed(log, req, res));
    else if (path === '/metrics' && req.method === 'GET' && metrics) metrics(req, res).catch(failed(log, req, res));
    else return false;
    return true;
  };
}

/**
 * The HTTP of a process without webhooks or the console (`npm run worker` on METRICS_PORT): /healthz
 * and /metrics, 404 for anything else.
 */
export function createOpsServer(parts: AppParts): Server {
  const ops = opsRoutes(parts, parts.log ?? silentLogger, health(parts));
  const notFound = Buffer.from('{"error":"not found"}');
  return createServer((req, res) => {
    if (!ops(req, res)) sendJson(req, res, 404, notFound);
  });
}

/** Every request but the webhooks: /healthz and /metrics at once, the rest through Express (loaded when first needed). */
export function buildApp(parts: AppParts): RequestListener {
  const log = parts.log ?? silentLogger;
  const healthz = health(parts);
  const ops = opsRoutes(parts, log, healthz);
  let app: Promise<Express> | undefined;
  return (req, res) => {
    if (ops(req, res)) return;
    // A failed load is not kept: the next request tries again.
    app ??= expressApp(parts, log, healthz).catch((e: unknown) => {
      app = undefined;
      throw e;
    });
    app.then((a) => void a(req, res), failed(log, req, res));
  };
}

async function expressApp(parts: AppParts, log: Logger, healthz: ReturnType<typeof health>): Promise<Express> {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (parts.trustProxy !== undefined) app.set('trust proxy', parts.trustProxy);
  // The same health check under the spellings Express also takes (/healthz/, /HEALTHZ).
  app.get('/healthz', (req, res, next) => void healthz(req, res).catch(next));
  if (parts.hotline && parts.tokens) {
    const { staffRouter } = await import('./staff/api.js');
    app.use('/staff/api', staffRouter({ hotline: parts.hotline, tokens: parts.tokens, log, broadcast: parts.broadcast, metrics: parts.metrics }));
  }
  // The web console (after the API, which keeps its own router), loaded with Express: never by a webhook.
  if (parts.console) {
    const { consoleRouter } = await import('./staff/web/router.js');
    app.use('/staff', consoleRouter({ redis: parts.redis, log, hotline: parts.hotline, ...parts.console, broadcast: parts.broadcast, metrics: parts.metrics, channels: parts.channels }));
  }
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: err.message }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
  return app;
}

/** Webhook routes ("METHOD /path") are answered before anything else: the per-message hot path. */
export function createHttpServer(app: RequestListener, routes: Routes): Server {
  return createServer((req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = routes[`${req.method} ${q < 0 ? url : url.slice(0, q)}`];
    if (route) {
      route(req, res).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
        req.destroy(e);
      });
      return;
    }
    app(req, res);
  });
}
