// Campaigns on BullMQ: one job per campaign (its id is the job id, so scheduling twice is harmless),
// delayed until the campaign's time; the worker runs it (src/broadcast/campaigns.ts) and, when it must
// wait (paused, quiet hours), moves the job back to delayed until then. A worker killed mid-campaign
// loses its lock; after `LOCK_MS` the job is taken up again by any worker and goes on from its `done`
// bitmap, so nobody gets a campaign twice.
import { DelayedError, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { silentLogger, type Logger } from '../log.js';
import type { Campaign, Campaigns } from './campaigns.js';
import { openRedis, type RedisTarget } from '../store/connection.js';

export const QUEUE_NAME = 'campaigns';
/** A worker that stops renewing its lock (killed) has its campaign taken over after this long. */
const LOCK_MS = 10_000;

/**
 * BullMQ's connections to the deployment's Redis (it makes its own; a worker's must never time out a
 * command). One server: its options, BullMQ connects. Sentinel or a Cluster: a client from
 * src/store/connection.ts that BullMQ shares (a Worker duplicates it for its blocking reads); `close`
 * disconnects it once BullMQ is done with it.
 */
export function bullConnection(target: RedisTarget | string): { connection: ConnectionOptions; close(): void } {
  if (typeof target !== 'string' && target.mode !== 'single') {
    const client = openRedis(target, { enableOfflineQueue: true, maxRetriesPerRequest: null, enableAutoPipelining: false });
    client.on('error', () => undefined);
    // BullMQ types its connection by its own copy of ioredis (another version); it checks a client's shape only.
    return { connection: client as unknown as ConnectionOptions, close: () => client.disconnect() };
  }
  const u = new URL(typeof target === 'string' ? target : target.url);
  const db = Number(u.pathname.slice(1) || 0);
  const connection = {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    db,
    maxRetriesPerRequest: null,
  };
  return { connection, close: () => undefined };
}

/** BullMQ's keys live under the deployment's prefix, in one hash slot (Redis Cluster): `<prefix>:{bull}:campaigns:…`. */
export const bullPrefix = (prefix: string) => `${prefix}:{bull}`;

export class CampaignQueue {
  private opened: Queue | null = null;
  private closeConnection: () => void = () => undefined;

  constructor(
    private readonly redis: RedisTarget | string,
    private readonly prefix: string,
  ) {}

  /** Opened on first use: a command that never schedules (import, opt-out, count) makes no connection. */
  get queue(): Queue {
    if (!this.opened) {
      const { connection, close } = bullConnection(this.redis);
      this.opened = new Queue(QUEUE_NAME, { connection, prefix: bullPrefix(this.prefix) });
      this.closeConnection = close;
    }
    return this.opened;
  }

  /** Starts the campaign at its time (at once if that has passed). */
  async schedule(c: Pick<Campaign, 'id' | 'at'>): Promise<void> {
    await this.queue.add('run', { id: c.id }, {
      jobId: c.id,
      delay: Math.max(0, c.at - Date.now()),
      // A run that fails (Redis away) is tried again: it goes on from where it stood.
      attempts: 50,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    });
  }

  /** A resumed campaign waiting in its pause goes on at once. */
  async wake(id: string): Promise<void> {
    const job = await this.queue.getJob(id);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  async progress(id: string): Promise<{ done: number; total: number } | null> {
    const job = await this.queue.getJob(id);
    const p = job?.progress as { done?: number; total?: number } | number | undefined;
    return p && typeof p === 'object' ? { done: p.done ?? 0, total: p.total ?? 0 } : null;
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    // Closed while still connecting, BullMQ drops its connection with its start-up commands unanswered,
    // and their rejections reach nobody (an unhandled rejection): let it finish starting first.
    await this.opened.waitUntilReady().catch(() => undefined);
    await this.opened.close();
    this.closeConnection();
  }
}

/** Runs campaigns in this process. */
export function startCampaignWorker(opts: { redis: RedisTarget | string; prefix: string; campaigns: Campaigns; log?: Logger; concurrency?: number }): Worker {
  const log = opts.log ?? silentLogger;
  const { connection, close } = bullConnection(opts.redis);
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job<{ id: string }>, token?: string) => {
      const outcome = await opts.campaigns.run(job.data.id, (done, total) => job.updateProgress({ done, total }));
      if (!outcome.done) {
        log.info({ campaign: job.data.id, why: outcome.why, until: new Date(outcome.wakeAt).toISOString() }, 'campaign waits');
        await job.moveToDelayed(outcome.wakeAt, token);
        throw new DelayedError();
      }
    },
    {
      connection,
      prefix: bullPrefix(opts.prefix),
      concurrency: opts.concurrency ?? 2,
      lockDuration: LOCK_MS,
      stalledInterval: LOCK_MS / 2,
      // A campaign taken over after a crash is not a failure: it goes on from where it stood.
      maxStalledCount: 1000,
    },
  );
  worker.on('failed', (job, err) => log.error({ campaign: job?.data.id, err: err.message }, 'campaign run failed; retried'));
  worker.on('error', (err) => log.warn({ err: err.message }, 'campaign worker: Redis error'));
  worker.once('closed', close);
  return worker;
}
