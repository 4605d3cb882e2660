// After personal data is erased it is gone from Redis's memory but still in its append-only file,
// until Redis rewrites that file. This asks Redis for a rewrite after erasures, at most once per
// interval across every process (a rewrite copies the whole dataset: not after every erasure).
import { redisServers, type RedisClient } from './connection.js';
import { silentLogger, type Logger } from '../log.js';
import type { Keyspace } from './keys.js';

/** How often a process looks whether an erasure is waiting for a rewrite. */
const CHECK_EVERY_MS = 10_000;

export interface AofRewrites {
  /** Looks now (tests, and the check every ten seconds). Returns whether a rewrite was asked for. */
  check(): Promise<boolean>;
  stop(): void;
}

/** Asks for a rewrite after an erasure (kept a week: a Redis down that long still gets it). */
export async function requestAofRewrite(redis: RedisClient, keys: Keyspace): Promise<void> {
  await redis.set(keys.aofRewritePending, '1', 'EX', 7 * 24 * 3600);
}

export function startAofRewrites(redis: RedisClient, keys: Keyspace, minIntervalMs: number, log: Logger = silentLogger): AofRewrites {
  const check = async (): Promise<boolean> => {
    if (!(await redis.exists(keys.aofRewritePending))) return false;
    // Every server that holds the data: a Cluster's nodes, replicas included (the erased keys were in
    // any of them). A Redis that keeps no append-only file has nothing to rewrite (and asking would
    // make it write one).
    const servers = redisServers(redis);
    const persistence = await Promise.all(servers.map((s) => s.info('persistence')));
    const keeping = servers.filter((_, i) => /^aof_enabled:1\r?$/m.test(persistence[i]!));
    if (!keeping.length) {
      await redis.del(keys.aofRewritePending);
      return false;
    }
    if ((await redis.set(keys.aofRewriteLast, '1', 'PX', Math.max(1, minIntervalMs), 'NX')) !== 'OK') return false;
    // The request is taken before the rewrite starts: an erasure during the rewrite (which may not
    // contain it) asks again, for the next one.
    await redis.del(keys.aofRewritePending);
    const refused = (await Promise.allSettled(keeping.map((s) => s.bgrewriteaof()))).flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (refused.length) {
      // One is already running (Redis started it itself): it may have begun before the erasure, so
      // this one is still wanted: look again at the next check.
      await requestAofRewrite(redis, keys);
      await redis.del(keys.aofRewriteLast);
      const failed = refused.find((e) => !/in progress/i.test(e.message));
      if (failed) throw failed;
      return false;
    }
    log.info({ servers: keeping.length }, 'asked Redis to rewrite its append-only file after an erasure');
    return true;
  };
  const timer = setInterval(() => {
    check().catch((e: Error) => log.warn({ err: e.message }, 'could not ask Redis for an append-only file rewrite'));
  }, CHECK_EVERY_MS);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
