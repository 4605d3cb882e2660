// The broadcast parts of a process: subscribers, campaigns, their BullMQ queue and (where asked) the
// worker that runs them. The web process and `npm run worker` both build them here.
import type { RedisClient, RedisTarget } from '../store/connection.js';
import type { Worker } from 'bullmq';
import type { Logger } from '../log.js';
import type { RedisOutbox } from '../outbox/outbox.js';
import type { DataCipher } from '../store/cipher.js';
import type { Keyspace } from '../store/keys.js';
import { Campaigns, type QuietHours } from './campaigns.js';
import { CampaignQueue, startCampaignWorker } from './queue.js';
import { RedisSubscribers, type Subscription } from './subscribers.js';
import { MediaStore } from '../store/media.js';

export interface BroadcastParts {
  subscribers: RedisSubscribers;
  campaigns: Campaigns;
  queue: CampaignQueue;
  /** Pictures and videos attached to campaigns. */
  media: MediaStore;
  worker: Worker | null;
  close(): Promise<void>;
}

export function buildBroadcast(opts: {
  redis: RedisClient;
  /** Where that connection goes: BullMQ makes its own. */
  redisTarget: RedisTarget;
  keys: Keyspace;
  cipher: DataCipher;
  hashSecret: string;
  outbox: RedisOutbox;
  timeZone: (s: Subscription) => string;
  log: Logger;
  worker: boolean;
  quietHours?: QuietHours | null;
  /** The process's subscribers, if it has them already (the conversation uses the same). */
  subscribers?: RedisSubscribers;
}): BroadcastParts {
  const subscribers = opts.subscribers ?? new RedisSubscribers(opts.redis, opts.keys, opts.cipher, opts.hashSecret);
  const media = new MediaStore(opts.redis, opts.keys);
  const campaigns = new Campaigns({ redis: opts.redis, keys: opts.keys, subscribers, outbox: opts.outbox, media, timeZone: opts.timeZone, log: opts.log, quietHours: opts.quietHours });
  const queue = new CampaignQueue(opts.redisTarget, opts.keys.prefix);
  const worker = opts.worker ? startCampaignWorker({ redis: opts.redisTarget, prefix: opts.keys.prefix, campaigns, log: opts.log }) : null;
  return {
    subscribers,
    campaigns,
    queue,
    media,
    worker,
    async close() {
      // A campaign in hand is left to its lock: another worker takes it over (nobody is queued twice).
      await worker?.waitUntilReady().catch(() => undefined);
      await worker?.close(true).catch(() => undefined);
      await queue.close().catch(() => undefined);
    },
  };
}
