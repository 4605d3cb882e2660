// Benchmark: a scripted 5-step conversation repeated by many users, through the conversation
// service and engine against Redis (no HTTP). Prints updates/s, CPU ms per update, p50/p99, peak RSS.
import { randomUUID } from 'node:crypto';
import { loadContent } from '../src/content/index.js';
import { ConversationService } from '../src/conversation/service.js';
import { Metrics } from '../src/staff/metrics.js';
import { DataCipher } from '../src/store/cipher.js';
import { keyspace } from '../src/store/keys.js';
import { connectRedis, RedisStore } from '../src/store/redis.js';
import { dropPrefix } from '../test/helpers/redis.js';

/** Welcome (hint id) → agree → settings → change language → English; every step answered by text. */
export const SCRIPT = ['halo', '1', '8', '1', '2'];

export interface Figures {
  [name: string]: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchConversation(opts: { users?: number; concurrency?: number; redisUrl?: string } = {}): Promise<Figures> {
  const users = opts.users ?? 1000;
  const concurrency = opts.concurrency ?? 100;
  const redis = await connectRedis(opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  const prefix = `waspada-bench:${randomUUID().slice(0, 8)}`;
  const content = loadContent();
  const { sessions, recruiters } = new RedisStore(redis, prefix, DataCipher.throwaway());
  // The dashboard's counters, as serve has them: each message is counted (written once a second).
  const metrics = new Metrics({ redis, keys: keyspace(prefix), hashSecret: 'bench-hash-secret-0123456789' });
  const service = new ConversationService({ sessions, recruiters, content, metrics });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

  const latencies: number[] = [];
  let wrong = 0;
  const talk = async (u: number) => {
    for (let i = 0; i < SCRIPT.length; i++) {
      const t0 = performance.now();
      const r = await service.handle({ channel: 'bench', userId: String(u), messageId: `${u}-${i}`, text: SCRIPT[i], langHint: 'id' });
      latencies.push(performance.now() - t0);
      if (!r.ok || !r.replies.length) wrong++;
    }
  };
  // Warm up (JIT, script cache), then measure.
  await Promise.all(Array.from({ length: 50 }, (_, u) => talk(-1 - u)));
  latencies.length = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < users) await talk(next++);
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const updates = users * SCRIPT.length;
  latencies.sort((a, b) => a - b);
  await metrics.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
  return {
    users,
    updates,
    failed_updates: wrong,
    updates_per_s: Math.round(updates / (wall / 1000)),
    cpu_ms_per_update: +((cpu.user + cpu.system) / 1000 / updates).toFixed(4),
    p50_ms: +percentile(latencies, 50).toFixed(2),
    p99_ms: +percentile(latencies, 99).toFixed(2),
    peak_rss_mb: +(peakRss / 2 ** 20).toFixed(1),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchConversation().then((f) => console.log(JSON.stringify(f, null, 2)));
}
