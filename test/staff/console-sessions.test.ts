// Console sessions on real Redis: what counts as activity.
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSessions, SESSION_IDLE_MS } from '../../src/staff/web/sessions.js';
import { keyspace } from '../../src/store/keys.js';
import { dropPrefix, plainRedis, testPrefix } from '../helpers/redis.js';

const redis = plainRedis();
const prefix = testPrefix('csess');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('console sessions', () => {
  it('an automatic refresh of an open page does not keep a session alive; a request of the person does', async () => {
    const sessions = new ConsoleSessions(redis, prefix);
    const s = await sessions.create({ name: 'ani', epoch: 1 });
    const [key] = await redis.keys(keyspace(prefix).staffConsole.session('*'));
    expect(key).toBeDefined();
    await redis.pexpire(key!, 60_000);
    expect(await sessions.get(s.id, false)).toMatchObject({ name: 'ani' });
    expect(await redis.pttl(key!)).toBeLessThanOrEqual(60_000);
    expect(await sessions.get(s.id)).toMatchObject({ name: 'ani' });
    expect(await redis.pttl(key!)).toBeGreaterThan(60_000);
    expect(await redis.pttl(key!)).toBeLessThanOrEqual(SESSION_IDLE_MS);
  });
});
