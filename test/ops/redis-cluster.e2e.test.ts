// Waspada scaled out on a Redis Cluster: six redis-server nodes (three masters, a replica each, an
// append-only file each) joined by redis-cli, two server processes given REDIS_CLUSTER_NODES, and one
// fake Bot API enforcing Telegram's limits (30 messages in any second, one a second per chat, 429
// with retry_after over them), in a process of its own so that its clock judges the rate truly. People write to either process, some updates reach both; then the
// master holding the hotline's and the campaign queue's slots is killed (SIGKILL) in the middle of a
// campaign, and its replica takes over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContent } from '../../src/content/index.js';
import { connectRedis, type RedisClient } from '../../src/store/connection.js';
import { keyspace } from '../../src/store/keys.js';
import { startAofRewrites } from '../../src/store/maintenance.js';
import { StaffTokens } from '../../src/staff/tokens.js';
import { startFake } from '../../bench/outbox.js';
import { SECRET as BENCH_SECRET, TOKEN as BENCH_TOKEN } from '../../bench/waspada-env.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { runBroadcast } from '../helpers/cli.js';
import { RedisCluster, RedisSentinel } from '../helpers/redis-cluster.js';
import { DATA_KEY } from '../helpers/redis.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { SECRET, TOKEN, textUpdate, unescape } from '../helpers/telegram.js';

const content = loadContent();
/** What a reply made from `key` starts with (up to its first variable). */
const opening = (key: string) => content.texts.t('id', key, { id: '§', secret: '§' }).split('\n')[0]!.split('§')[0]!;

/** An urgent report typed by a person, and the reply each message gets (one message each). */
const TURNS: [string, string][] = [
  ['/start', 'welcome.intro'],
  ['tolong', 'emergency.intro'],
  ['Malaysia', 'emergency.nearest'],
  ['1', 'hotline.urgent.intro'],
  ['1', 'hotline.urgent.ask.name'],
  ['Rina Wulandari', 'hotline.urgent.ask.country'],
  ['Malaysia', 'hotline.urgent.ask.story'],
  ['Dia dikurung majikan dan paspornya ditahan.', 'hotline.urgent.ask.contact'],
  ['+62 812 5550 1234', 'hotline.report.ask.consent'],
  ['ya', 'hotline.urgent.saved'],
];
const PEOPLE = Array.from({ length: 6 }, (_, i) => 930_001 + i);
/** People who write once, all at once: their answers go out together, at the rate the processes share. */
const CROWD = Array.from({ length: 60 }, (_, i) => 931_000 + i);
const SUBSCRIBERS = Array.from({ length: 120 }, (_, i) => 932_000 + i);
const PREFIX = 'waspada-cluster';
const HASH_SECRET = 'cluster-hash-secret-0123456789';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two processes on a Redis Cluster whose masters have replicas', () => {
  const started = Date.now();
  let cluster: RedisCluster;
  let fake: Awaited<ReturnType<typeof startFake>>;
  let servers: ServerProcess[] = [];
  let redis: RedisClient;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'waspada-cluster-test-'));
  /** The case the first person's report opened. */
  let caseId = '';

  beforeAll(async () => {
    cluster = await RedisCluster.start({ masters: 3, replicas: 1 });
    fake = await startFake();
    env = {
      REDIS_CLUSTER_NODES: cluster.nodeList, REDIS_PREFIX: PREFIX, HASH_SECRET, DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: BENCH_TOKEN, TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET, TELEGRAM_API_ROOT: fake.apiRoot,
      // Campaigns at any hour (the test may run in someone's night).
      BROADCAST_QUIET_HOURS: 'off',
    };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    redis = await connectRedis({ mode: 'cluster', nodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })), tls: false });
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) s.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    redis?.disconnect();
    fake?.child.kill('SIGTERM');
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`cluster test: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  }, 30_000);

  const post = (server: ServerProcess, update: unknown) =>
    fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_SECRET },
      body: JSON.stringify(update),
    }).then((r) => r.status);
  /** What a chat received, in order (the messages the fake accepted). */
  const texts = (chat: number) => fake.sends.filter((c) => c.chat === String(chat) && c.status === 200).map((c) => unescape(c.text));
  const until = (ok: () => boolean, timeout: number) => expect.poll(ok, { timeout, interval: 20 }).toBe(true);

  it('answers each person once, in order, whichever process their messages reach (some reach both), within the rate both processes share', async () => {
    // Each person types their report, a message at a time, reading each answer first; every second
    // message is delivered to both processes (a platform retrying), the others to either in turn.
    const converse = async (person: number, n: number) => {
      for (const [k, [text]] of TURNS.entries()) {
        const update = textUpdate(person, text);
        const first = servers[(n + k) % 2]!;
        const statuses = await Promise.all(k % 2 ? [post(first, update), post(servers[(n + k + 1) % 2]!, update)] : [post(first, update)]);
        expect(statuses.every((s) => s === 200)).toBe(true);
        await until(() => texts(person).length > k, 20_000);
        await sleep(1100);
      }
    };
    const talking = Promise.all(PEOPLE.map((p, n) => converse(p, n)));
    // Meanwhile a crowd writes at once, half to each process, some to both.
    await sleep(3000);
    const crowd = await Promise.all(CROWD.map((p, i) => {
      const update = textUpdate(p, '/start');
      return Promise.all(i % 5 ? [post(servers[i % 2]!, update)] : [post(servers[0]!, update), post(servers[1]!, update)]);
    }));
    expect(crowd.flat().every((s) => s === 200)).toBe(true);
    await talking;
    await until(() => CROWD.every((p) => texts(p).length >= 1), 30_000);
    // A moment for any second copy to show (there must be none).
    await sleep(1500);

    const duplicates = [...PEOPLE.map((p) => texts(p).length - TURNS.length), ...CROWD.map((p) => texts(p).length - 1)].filter((extra) => extra > 0);
    const outOfOrder = PEOPLE.filter((p) => texts(p).some((t, k) => !t.startsWith(opening(TURNS[k]![1]))));
    const sends = fake.sends;
    // The crowd's answers come as a burst: the first second of it may meet the limit (as after any
    // pause), the rest must keep to it; the conversations' own answers never meet it.
    const crowdAt = Math.min(...sends.filter((c) => CROWD.includes(Number(c.chat))).map((c) => c.at));
    const late429 = sends.filter((c) => c.status === 429 && !(c.at >= crowdAt && c.at <= crowdAt + 1000));
    console.log(`cluster test, conversations: ${sends.filter((c) => c.status === 200).length} replies, ${duplicates.length} duplicated, ${outOfOrder.length} people out of order, ${sends.filter((c) => c.status === 429).length} answered 429 (${late429.length} outside the crowd's first second${late429.length ? `: ${late429.map((c) => `chat ${c.chat} at ${c.at - crowdAt} ms`).join(', ')}` : ''})`);
    caseId = /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(texts(PEOPLE[0]!).at(-1) ?? '')?.[0] ?? '';
    expect(PEOPLE.map((p) => texts(p).length)).toEqual(PEOPLE.map(() => TURNS.length));
    expect(CROWD.filter((p) => texts(p).length !== 1)).toEqual([]);
    expect(outOfOrder).toEqual([]);
    expect(late429).toEqual([]);
  }, 90_000);

  it('a case stays readable and a campaign completes, each subscriber sent it once, when the master holding their slots is killed and its replica promoted', async () => {
    expect(caseId).not.toBe('');
    const token = await new StaffTokens(redis, PREFIX).create('ani', 'admin');
    const readCase = (server: ServerProcess) =>
      fetch(`${server.url}/staff/api/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { case?: { details?: { name?: string } } } }));
    expect(await readCase(servers[1]!)).toMatchObject({ status: 200, body: { case: { details: { name: 'Rina Wulandari' } } } });

    writeFileSync(join(dir, 'subs.csv'), ['channel,user_id,language,topics,consented_at', ...SUBSCRIBERS.map((id) => `telegram,${id},id,scam-alerts,2026-10-01T00:00:00Z`)].join('\n'));
    writeFileSync(join(dir, 'msg.txt'), 'Waspada: lowongan admin di luar negeri bergaji tinggi tanpa pengalaman adalah modus penipuan.');
    expect((await runBroadcast(['import', join(dir, 'subs.csv')], env)).code).toBe(0);
    const send = await runBroadcast(['send', '--segment', 'lang=id,topic=scam-alerts', '--text-file', join(dir, 'msg.txt'), '--json'], env);
    expect(send.code, send.stderr).toBe(0);
    const campaign = (JSON.parse(send.stdout) as { id: string }).id;

    // The master serving the hotline's slot; the campaign queue's (BullMQ) and the outbox's share it.
    const master = await cluster.masterOf('{hotline}');
    const held = ['{hotline}', '{bull}', '{out:telegram}', '{inbox}', '{bc}', '{staff}'];
    const on = await Promise.all(held.map((tag) => cluster.masterOf(tag)));
    const received = () => SUBSCRIBERS.filter((id) => texts(id).length > 0).length;
    await until(() => received() >= 20, 30_000);
    await cluster.kill(master);
    const killedAt = Date.now();
    const atKill = received();
    await cluster.waitUntilOk(30_000);
    const failover = Date.now() - killedAt;

    // The case, from either process, once their clients have found the promoted replica.
    await expect.poll(async () => (await readCase(servers[0]!)).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect(await readCase(servers[1]!)).toMatchObject({ status: 200, body: { case: { details: { name: 'Rina Wulandari' } } } });
    // The campaign goes on to its end; nobody gets it twice.
    await until(() => received() === SUBSCRIBERS.length, 45_000);
    const state = async () =>
      ((await (await fetch(`${servers[0]!.url}/staff/api/campaigns/${campaign}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { state: string }).state;
    await expect.poll(state, { timeout: 20_000, interval: 250 }).toBe('done');
    const doneAfter = Date.now() - killedAt;
    await sleep(1500);
    const twice = SUBSCRIBERS.filter((id) => texts(id).length > 1);
    const refused = fake.sends.filter((c) => c.status === 429 && SUBSCRIBERS.includes(Number(c.chat))).length;
    console.log(`cluster test, failover: killed the master of ${held.filter((_, i) => on[i] === master).join(' ')} with ${atKill} of ${SUBSCRIBERS.length} subscribers sent; every slot served again after ${failover} ms; campaign done ${doneAfter} ms after the kill, ${received()} subscribers sent it, ${twice.length} twice, ${refused} sends answered 429`);
    expect(twice).toEqual([]);
    expect(SUBSCRIBERS.filter((id) => texts(id).length !== 1)).toEqual([]);
  }, 120_000);

  it('after an erasure every node left, replicas too, rewrites its append-only file', async () => {
    const keys = keyspace(PREFIX);
    const rewrites = async () => Promise.all(cluster.ports.map((port) => cluster.on<string>(port, 'INFO', 'persistence').then((i) => /aof_rewrites:(\d+)/.exec(i)![1], () => null)));
    const before = await rewrites();
    await redis.set(keys.aofRewritePending, '1');
    const check = startAofRewrites(redis, keys, 1);
    try {
      expect(await check.check()).toBe(true);
    } finally {
      check.stop();
    }
    await expect.poll(async () => (await rewrites()).filter((n, i) => n !== null && Number(n) > Number(before[i])).length, { timeout: 10_000 }).toBe(before.filter((n) => n !== null).length);
  });
});

describe('a process through Sentinel', () => {
  let sentinel: RedisSentinel;
  let fake: FakeTelegram;
  let server: ServerProcess;

  beforeAll(async () => {
    sentinel = await RedisSentinel.start();
    fake = await startFakeTelegram({ token: TOKEN });
    server = await startServerProcess({
      REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: RedisSentinel.NAME, REDIS_PREFIX: PREFIX, HASH_SECRET,
      DATA_ENCRYPTION_KEY: DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot,
    });
  }, 60_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    await fake?.close();
    await sentinel?.stop();
  });

  it('answers before and after its master is killed and Sentinel promotes the replica', async () => {
    const post = (update: unknown) =>
      fetch(`${server.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      }).then((r) => r.status);
    const person = 933_001;
    expect(await post(textUpdate(person, '/start'))).toBe(200);
    await fake.waitFor(() => fake.sent(person).length === 1, 10_000);
    await sentinel.master.kill();
    await sentinel.until((port) => port === sentinel.replica.port);
    // Refused (503: the platform sends it again) until the process has found the new master.
    const plea = textUpdate(person, 'tolong');
    await expect.poll(() => post(plea), { timeout: 20_000, interval: 250 }).toBe(200);
    await fake.waitFor(() => fake.sent(person).length === 2, 10_000);
    expect(unescape(fake.sent(person)[1].text)).toContain(opening('emergency.intro'));
  }, 60_000);
});
