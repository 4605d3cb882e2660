// Every Redis script, transaction and pipeline keeps its keys in one hash slot, as Redis Cluster
// needs. The whole app runs on a one-node Redis Cluster (through an ioredis Cluster client, as with
// REDIS_CLUSTER_NODES), where Redis itself refuses a script, a transaction or a command whose keys
// are in different slots (CROSSSLOT); what one node cannot see is checked here with the slots
// cluster-key-slot gives: each explicit pipeline's keys, and the key names a script builds from a
// base it is given (`<prefix>:{tag}:`) against the keys it declares. A walk through what people and
// staff do touches every script.
import calculateSlot from 'cluster-key-slot';
import { Command, Pipeline, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAccounts } from '../../src/staff/accounts.js';
import { connectRedis, type RedisClient } from '../../src/store/connection.js';
import { SAMPLE_CSV } from '../agencies/sample.js';
import { RedisCluster } from '../helpers/redis-cluster.js';
import { startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

/** What crossed slots: the command or pipeline, and its keys. */
const crossings: string[] = [];
/** The harness's key prefix (set once it starts). */
let PREFIX = '';
const slotsOf = (keys: (string | Buffer)[]) => new Set(keys.map((k) => calculateSlot(k)));

// Scripts: a base they are given (an argument under the test's prefix naming a hash tag) must share
// the slot of their keys. A refusal by Redis (CROSSSLOT) is recorded too.
const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (this: Redis, command: Command, ...rest: unknown[]) {
  if (command.name === 'evalsha' || command.name === 'eval') {
    const keys = command.getKeys();
    const n = Number(command.args[1]);
    const bases = command.args.slice(2 + n).filter((a): a is string => typeof a === 'string' && a.startsWith(PREFIX) && /\{[^}]*\}/.test(a));
    if (slotsOf([...keys, ...bases]).size > 1) crossings.push(`script: ${[...keys, ...bases].join(' ')}`);
  }
  command.promise.catch((e: Error) => {
    if (/CROSSSLOT|hash to the same slot/.test(e.message)) crossings.push(`${command.name}: ${command.getKeys().join(' ')}: ${e.message}`);
  });
  return (send as (...a: unknown[]) => unknown).call(this, command, ...rest) as ReturnType<Redis['sendCommand']>;
} as Redis['sendCommand'];

// Explicit pipelines (those ioredis gathers by itself are per node: left alone). A Cluster client
// refuses a command whose own keys are in different slots before sending it: recorded too.
const exec = Pipeline.prototype.exec;
Pipeline.prototype.exec = function (this: Pipeline, ...args: unknown[]) {
  const automatic = Object.getOwnPropertySymbols(this).some((s) => s.description === 'callbacks');
  const queue = (this as unknown as { _queue: Command[] })._queue;
  const keys = queue.filter((c) => c.name !== 'multi' && c.name !== 'exec').flatMap((c) => c.getKeys());
  if (!automatic && slotsOf(keys).size > 1) crossings.push(`pipeline: ${keys.join(' ')}`);
  const done = (exec as (...a: unknown[]) => unknown).apply(this, args) as ReturnType<Pipeline['exec']>;
  void Promise.resolve(done).catch((e: Error) => {
    if (/same slot/.test(e.message)) crossings.push(`refused: ${keys.join(' ')}: ${e.message}`);
  });
  return done;
} as Pipeline['exec'];

describe('hash slots: the app on a one-node Redis Cluster', () => {
  let cluster: RedisCluster;
  let h: Harness;
  let redis: RedisClient;
  let auth: { authorization: string; 'content-type': string };
  let n = 0;

  beforeAll(async () => {
    cluster = await RedisCluster.start({ masters: 1, replicas: 0 });
    h = await startHarness({ REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodeList, BROADCAST_QUIET_HOURS: 'off', AOF_REWRITE_MIN_INTERVAL_MINUTES: '0' });
    PREFIX = h.prefix;
    redis = await connectRedis({ mode: 'cluster', nodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })), tls: false });
    auth = { authorization: `Bearer ${await h.app.tokens.create('ani', 'admin')}`, 'content-type': 'application/json' };
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
    await cluster?.stop();
    Redis.prototype.sendCommand = send;
    Pipeline.prototype.exec = exec;
  });

  /** Says each text in turn as `user`, each after the answer to the one before. */
  const say = async (user: number, ...texts: string[]) => {
    for (const text of texts) {
      const before = h.fake.sent(user).length;
      expect((await h.post(textUpdate(user, text))).status).toBe(200);
      await h.fake.waitFor(() => h.fake.sent(user).length > before, 10_000);
    }
    return h.texts(user).at(-1)!;
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${h.app.url}/staff/api${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(r.ok, `${method} ${path} answered ${r.status}: ${await r.clone().text()}`).toBe(true);
    return r.json() as Promise<Record<string, unknown>>;
  };
  const report = async (user: number) => {
    const saved = await say(user, '/start', 'tolong', 'Malaysia', '1', '1', 'Rina Wulandari', 'Malaysia', 'Dia dikurung majikan.', '+62 812 5550 1234', 'ya');
    return /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(saved)![0];
  };

  it('the check sees a pipeline, a transaction, a script and a script\'s base that cross slots', async () => {
    const seen = async (work: () => Promise<unknown>) => {
      crossings.length = 0;
      await work().catch(() => null);
      await new Promise((r) => setTimeout(r, 50));
      return [...new Set(crossings.map((c) => c.split(':')[0]))];
    };
    const [a, b] = [`${PREFIX}:{a}:x`, `${PREFIX}:{b}:y`];
    expect(await seen(() => redis.pipeline().get(a).get(b).exec())).toEqual(['pipeline']);
    expect(await seen(() => redis.multi().get(a).get(b).exec())).toEqual(['pipeline', 'exec']);
    expect(await seen(() => redis.eval('return 1', 2, a, b))).toEqual(['refused']);
    expect(await seen(() => redis.eval('return 1', 1, a, `${PREFIX}:{b}:`))).toEqual(['script']);
    expect(await seen(() => redis.eval('return 1', 2, a, `${PREFIX}:{a}:y`))).toEqual([]);
    crossings.length = 0;
  });

  it('no script, transaction or pipeline of a conversation, a report, casework, a campaign or the staff console crosses hash slots', async () => {
    crossings.length = 0;
    // People: two reports of one person (duplicates), a checked offer naming a recruiter, safety mode
    // on and off, "delete my data".
    const [a, b] = [await report(950_001), await report(950_002)];
    await say(950_003, '/start', 'Lowongan admin di Kamboja, gaji 25 juta sebulan tanpa pengalaman, hubungi 0812 3456 7890 segera');
    await say(950_004, '/start', 'mode aman', 'x', 'hapus data', 'ya');
    // Staff: the queue, casework, the family's safety, linking the duplicates, the audit, the dashboard.
    await api('POST', '/claim');
    await api('POST', `/cases/${a}/notes`, { text: 'Kami sudah menghubungi KBRI.', family: true });
    await api('POST', `/cases/${a}/stage`, { stage: 'verified' });
    await api('POST', `/cases/${a}/safety`, { on: true });
    await api('POST', `/cases/${a}/link`, { other: b });
    await api('POST', `/cases/${b}/unlink`);
    await api('POST', `/cases/${b}/close`, { outcome: 'duplicate' });
    await api('GET', `/cases/${a}/audit`);
    await api('GET', `/cases/${a}/duplicates`);
    await api('GET', '/dashboard?days=2');
    await h.app.hotline.store.watch('slots', 'test', 50);
    await h.app.hotline.deliverPushes();
    // Subscribers and a campaign to them.
    await h.app.subscribers.addMany(Array.from({ length: 20 }, (_, i) => ({ channel: 'telegram', user: String(951_000 + i), lang: 'id', topics: ['scam-alerts'], consentedAt: Date.now(), region: null, destination: null })));
    await h.app.subscribers.optOut('telegram', '951000');
    const campaign = (await api('POST', '/campaigns', { texts: { id: 'Waspada: tawaran kerja tanpa biaya resmi.' }, segment: { topics: ['scam-alerts'] } })).id as string;
    // The campaign worker's first look can wait seconds on a loaded machine: a generous limit, not a speed claim.
    await expect.poll(async () => (await api('GET', `/campaigns/${campaign}`)).state, { timeout: 60_000 }).toBe('done');
    // The list of licensed agencies, staff accounts and sign-ins, the erasure's file rewrite.
    await h.app.agencies.importCsv(SAMPLE_CSV);
    await h.app.agencies.lookup({ name: 'PT Contoh Penempatan Satu' });
    const accounts = new StaffAccounts(redis, PREFIX);
    const link = await accounts.add(`budi${++n}`, 'agent', 'ani');
    await accounts.setPasswordWithLink(link, 'a long enough password 123');
    await accounts.signIn(`budi${n}`, 'wrong password');
    await accounts.setTestChat(`budi${n}`, { channel: 'telegram', user: '1' });
    await h.app.tokens.revoke('ani');
    await h.app.rewrites.check();

    expect(crossings).toEqual([]);
  }, 120_000);
});
