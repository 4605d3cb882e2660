// Builds the HTTP side from the parts: the channels' webhooks (plain Node handlers, before Express)
// and the Express app for everything else (health).
import { createServer, type Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Channel, Routes } from './channels/port.js';
import type { Inbox } from './conversation/inbox.js';
import { silentLogger, type Logger } from './log.js';
import type { RedisOutbox } from './outbox/outbox.js';

export interface AppParts {
  redis: Redis;
  inbox: Inbox;
  outbox: RedisOutbox;
  channels: ReadonlyMap<string, Channel>;
  log?: Logger;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() => clearTimeout(timer));
}

export function buildApp(parts: AppParts): Express {
  const log = parts.log ?? silentLogger;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', async (_req, res) => {
    const up = await withTimeout(parts.redis.ping(), 1000).then(
      () => true,
      () => false,
    );
    const local = parts.outbox.local();
    const counts = up ? await withTimeout(parts.outbox.counts(), 1000).catch(() => null) : null;
    const channels: Record<string, unknown> = {};
    for (const [name, channel] of parts.channels) {
      channels[name] = { ...channel.health(), outbox: { ...(counts?.[name] ?? {}), ...local[name] } };
    }
    const inbox = { pending: up ? await parts.inbox.pending() : null, lastError: parts.inbox.lastError };
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', redis: up ? 'up' : 'down', inbox, channels });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: err.message }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
  return app;
}

/** Webhook routes ("METHOD /path") are answered before Express: the per-message hot path. */
export function createHttpServer(app: Express, routes: Routes): Server {
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
