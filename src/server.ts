// Builds the Express app from the parts: webhooks and health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { TelegramChannel } from './channels/telegram.js';
import type { Inbox } from './conversation/inbox.js';
import { silentLogger, type Logger } from './log.js';

export interface AppParts {
  redis: Redis;
  inbox: Inbox;
  telegram?: TelegramChannel;
  log?: Logger;
}

async function redisState(redis: Redis): Promise<'up' | 'down'> {
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000))]);
    return 'up';
  } catch {
    return 'down';
  }
}

export function buildApp(parts: AppParts): Express {
  const log = parts.log ?? silentLogger;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  if (parts.telegram) {
    const hook = parts.telegram.webhook();
    app.post('/webhooks/telegram', (req, res) => void hook(req, res));
  }

  app.get('/healthz', async (_req, res) => {
    const redis = await redisState(parts.redis);
    const channels: Record<string, unknown> = {};
    if (parts.telegram) {
      channels.telegram = { mode: parts.telegram.mode, sender: parts.telegram.sender.stats };
    }
    const inbox = { pending: redis === 'up' ? await parts.inbox.pending() : null, lastError: parts.inbox.lastError };
    res.status(redis === 'up' ? 200 : 503).json({ status: redis === 'up' ? 'ok' : 'degraded', redis, inbox, channels });
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

/** Webhooks Waspada answers before Express: the per-message hot path. Everything else goes to the app. */
export type FastRoutes = Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;

export function createHttpServer(app: Express, fast: FastRoutes): Server {
  return createServer((req, res) => {
    const route = req.method === 'POST' && req.url ? fast[req.url] : undefined;
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
