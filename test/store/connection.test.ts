// Where Redis is: one server, a Cluster or Sentinel, read from the settings with a message naming each
// wrong one; and what connecting says when nothing answers.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redisTarget, requireServeConfig } from '../../src/config.js';
import { connectRedis, describeTarget } from '../../src/store/connection.js';
import { RedisCluster } from '../helpers/redis-cluster.js';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the settings were accepted');
};

describe('Redis settings', () => {
  it('one Redis by REDIS_URL, a Cluster by its nodes, Sentinel by the sentinels and the master\'s name', () => {
    expect(redisTarget(loadConfig({ REDIS_URL: 'redis://10.0.0.1:6379/0' }))).toEqual({ mode: 'single', url: 'redis://10.0.0.1:6379/0' });
    expect(redisTarget(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:6379, redis-b.internal:7000,[fd00::1]:6380', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' }))).toEqual({
      mode: 'cluster',
      nodes: [{ host: '10.0.0.1', port: 6379 }, { host: 'redis-b.internal', port: 7000 }, { host: 'fd00::1', port: 6380 }],
      password: 'pw',
      tls: true,
    });
    expect(redisTarget(loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:26379', REDIS_SENTINEL_NAME: 'mymaster', REDIS_USERNAME: 'waspada' }))).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }],
      name: 'mymaster',
      username: 'waspada',
      tls: false,
    });
    expect(redisTarget(loadConfig({}))).toBeNull();
  });

  it('names what is wrong: an address that is not host:port, two kinds at once, a sentinel setting without the other, a password beside REDIS_URL', () => {
    expect(fails({ REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2' })).toBe('REDIS_CLUSTER_NODES: REDIS_CLUSTER_NODES lists host:port addresses, comma-separated (e.g. 10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379); "10.0.0.2" is not one');
    expect(fails({ REDIS_SENTINELS: '10.0.0.1:99999', REDIS_SENTINEL_NAME: 'm' })).toContain('"10.0.0.1:99999" is not one');
    expect(fails({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' })).toBe('REDIS_CLUSTER_NODES: give one of REDIS_URL (one Redis), REDIS_CLUSTER_NODES (a Cluster) or REDIS_SENTINELS (Sentinel), not REDIS_URL and REDIS_CLUSTER_NODES');
    expect(fails({ REDIS_SENTINELS: 'a:26379' })).toBe('REDIS_SENTINEL_NAME: needed with REDIS_SENTINELS: the name Sentinel knows the master by (e.g. mymaster)');
    expect(fails({ REDIS_SENTINEL_NAME: 'mymaster' })).toContain('REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS');
    expect(fails({ REDIS_URL: 'redis://a:6379', REDIS_PASSWORD: 'pw' })).toBe('REDIS_PASSWORD: with REDIS_URL, the user and password go in it (redis://user:password@host:6379/0), and rediss:// means TLS');
    expect(fails({ REDIS_TLS: 'yes' })).toContain('REDIS_TLS must be true or false');
  });

  it('serving without any of them says which to give', () => {
    expect(() => requireServeConfig(loadConfig({ HASH_SECRET: 'x'.repeat(16), CHANNELS: 'telegram' }))).toThrow(
      /REDIS_URL: needed to serve \(.*\); for a Redis Cluster give REDIS_CLUSTER_NODES instead, for Sentinel REDIS_SENTINELS and REDIS_SENTINEL_NAME/,
    );
  });

  it('a Cluster none of whose nodes answers fails in time, naming the nodes (never a password)', async () => {
    const target = { mode: 'cluster' as const, nodes: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: 2 }], password: 'secret', tls: false };
    await expect(connectRedis(target, 300)).rejects.toThrow(/^cannot reach the Redis Cluster at 127\.0\.0\.1:1,127\.0\.0\.1:2: /);
    expect(describeTarget('redis://:secret@10.0.0.1:6379/0')).toBe('Redis at redis://***@10.0.0.1:6379/0');
    expect(describeTarget({ mode: 'sentinel', sentinels: [{ host: 's1', port: 26379 }], name: 'mymaster', password: 'secret', tls: false })).toBe('the Redis master "mymaster" through the sentinels at s1:26379');
  });

  it('a node of a Redis Cluster given as REDIS_URL is refused at start, pointing to REDIS_CLUSTER_NODES', async () => {
    const cluster = await RedisCluster.start({ masters: 1, replicas: 0 });
    try {
      await expect(connectRedis(`redis://127.0.0.1:${cluster.ports[0]}/0`)).rejects.toThrow(/is a node of a Redis Cluster: give its nodes in REDIS_CLUSTER_NODES/);
      const client = await connectRedis({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: cluster.ports[0]! }], tls: false });
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      await cluster.stop();
    }
  });
});
