// Benchmark: 200 families submit their reports at once. Each walks the missing-relative report to its
// summary first (through the conversation service and engine, on Redis, cases sealed as in
// production); then all of them press "send" together. Prints cases submitted per second (over the
// submit phase) and the submit step's p50/p99, and checks that every family got its own case number.
import { randomUUID } from 'node:crypto';
import { loadContent } from '../src/content/index.js';
import { ConversationService } from '../src/conversation/service.js';
import { HotlineService } from '../src/hotline/service.js';
import { DataCipher } from '../src/store/cipher.js';
import { connectRedis, RedisStore } from '../src/store/redis.js';
import { dropPrefix } from '../test/helpers/redis.js';
import type { Figures } from './conversation.js';

const WALK = ['/start', '1', 'menu', '4', 'Rina Wulandari', '24', 'kakak', 'Kamboja', 'Sihanoukville', 'PT Cahaya', 'lewati', '3 minggu lalu', 'Paspornya ditahan.', 'tidak', 'lewati', 'ya'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchHotline(opts: { families?: number; redisUrl?: string } = {}): Promise<Figures> {
  const families = opts.families ?? 200;
  const redis = await connectRedis(opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  const prefix = `waspada-bench:${randomUUID().slice(0, 8)}`;
  const content = loadContent();
  const store = new RedisStore(redis, prefix, DataCipher.throwaway());
  const hotline = new HotlineService({ store: store.cases, hashSecret: 'bench-hash-secret-0123456789' });
  const service = new ConversationService({ sessions: store.sessions, recruiters: store.recruiters, content, hashSecret: 'bench-hash-secret-0123456789', hotline });
  let n = 0;
  const say = (u: number, text: string) => service.handle({ channel: 'bench', userId: String(u), messageId: `m${++n}`, text, langHint: 'id' });

  // Every family at its summary, a few at a time (this part is not measured).
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < families) {
        const u = next++;
        for (const line of WALK) await say(u, line);
      }
    }),
  );
  const latencies: number[] = [];
  const numbers = new Set<string>();
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: families }, async (_, u) => {
      const s = performance.now();
      const r = await say(u, '1');
      latencies.push(performance.now() - s);
      const id = /WSP-[0-9A-Z]{4}-[0-9A-Z]{2}/.exec(r.replies.map((x) => x.text).join('\n'))?.[0];
      if (!r.ok || !id) failed++;
      else numbers.add(id);
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stored = await redis.zcard(`${prefix}:{hotline}:all`);
  latencies.sort((a, b) => a - b);
  await dropPrefix(redis, prefix);
  redis.disconnect();
  return {
    families,
    cases_stored: stored,
    distinct_case_numbers: numbers.size,
    failed_submits: failed,
    cases_per_s: Math.round((families / wall) * 1000),
    submit_p50_ms: +percentile(latencies, 50).toFixed(1),
    submit_p99_ms: +percentile(latencies, 99).toFixed(1),
    cpu_ms_per_submit: +((cpu.user + cpu.system) / 1000 / families).toFixed(3),
  };
}
