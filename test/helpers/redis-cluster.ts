// A private Redis Cluster for tests: redis-server nodes on free ports (cluster mode, an append-only
// file each) joined by `redis-cli --cluster create`, each master with its replicas. Nodes can be
// killed (SIGKILL) to watch a replica take over. Also a master with a replica watched by Sentinel.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, PrivateRedis } from './redis-server.js';

const run = promisify(execFile);

interface Node {
  port: number;
  proc: ChildProcess;
  exited: Promise<void>;
}

/** Runs one command on the local Redis at `port`, on a connection of its own. */
async function call<T>(port: number, ...args: (string | number)[]): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.call(String(args[0]), ...args.slice(1))) as T;
  } finally {
    r.disconnect();
  }
}

export class RedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'waspada-cluster-'));
  private readonly nodes: Node[] = [];

  /**
   * Starts `masters * (replicas + 1)` nodes and joins them (one master alone: a one-node cluster).
   * `nodeTimeoutMs`: how long a node may be silent before the others count it failed (its replica is
   * promoted soon after).
   */
  static async start(opts: { masters?: number; replicas?: number; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
    const c = new RedisCluster();
    const count = (opts.masters ?? 3) * ((opts.replicas ?? 1) + 1);
    try {
      for (let i = 0; i < count; i++) c.nodes.push(c.spawnNode(await freePort(), opts.nodeTimeoutMs ?? 2000));
      await Promise.all(c.nodes.map((n) => c.answers(n.port)));
      // redis-cli makes clusters of three masters or more; one node simply takes every slot.
      if (count === 1) await c.on(c.nodes[0]!.port, 'CLUSTER', 'ADDSLOTSRANGE', 0, 16383);
      else await run('redis-cli', ['--cluster', 'create', ...c.nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(opts.replicas ?? 1), '--cluster-yes'], { timeout: 30_000 });
      await c.waitUntilOk();
    } catch (e) {
      await c.stop();
      throw e;
    }
    return c;
  }

  /** The nodes as REDIS_CLUSTER_NODES lists them (every node: a client finds the rest through any). */
  get nodeList(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  private spawnNode(port: number, nodeTimeoutMs: number): Node {
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', this.dir, '--dbfilename', `dump-${port}.rdb`,
      '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs),
      // A node alone does not know its address (CLUSTER SLOTS would name none).
      '--cluster-announce-ip', '127.0.0.1',
      // A replica takes over however long it was out of touch (the test kills its master at once).
      '--cluster-replica-validity-factor', '0',
      // Replicas copy their masters at once (not 5 s later, in case more replicas ask).
      '--repl-diskless-sync-delay', '0',
      '--appendonly', 'yes', '--appendfilename', `appendonly-${port}.aof`, '--appenddirname', `aof-${port}`, '--save', '',
    ];
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    return { port, proc, exited };
  }

  private async answers(port: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await call(port, 'PING').then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server did not start on port ${port}`);
  }

  /** Runs one command on the node at `port`. */
  on<T>(port: number, ...args: (string | number)[]): Promise<T> {
    return call<T>(port, ...args);
  }

  private alive(): Node[] {
    return this.nodes.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null);
  }

  /**
   * Waits until every live node says the cluster is ok, each slot's master is a live node, and every
   * live replica has finished copying its master (a replica still syncing would lose what it missed).
   */
  async waitUntilOk(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.alive().map((n) => this.on<string>(n.port, 'CLUSTER', 'INFO').catch(() => '')));
      const replication = await Promise.all(this.alive().map((n) => this.on<string>(n.port, 'INFO', 'replication').catch(() => '')));
      const synced = replication.every((r) => /role:master/.test(r) || (/master_link_status:up/.test(r) && /master_sync_in_progress:0/.test(r)));
      const masters = await this.masterPorts().catch(() => []);
      const live = new Set(this.alive().map((n) => n.port));
      if (synced && states.every((s) => /cluster_state:ok/.test(s)) && masters.length && masters.every((p) => live.has(p))) return;
      if (Date.now() > until) throw new Error(`the cluster is not ok after ${timeoutMs} ms: ${states.map((s) => /cluster_state:\w+/.exec(s)?.[0]).join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The port of the master serving each slot range, as a live node sees it. */
  private async masterPorts(): Promise<number[]> {
    const slots = await this.on<[number, number, [string, number]][]>(this.alive()[0]!.port, 'CLUSTER', 'SLOTS');
    return slots.map((s) => Number(s[2][1]));
  }

  /** The port of the master serving the slot of `key` (a hash tag counts as Redis counts it). */
  async masterOf(key: string): Promise<number> {
    const port = this.alive()[0]!.port;
    const slot = await this.on<number>(port, 'CLUSTER', 'KEYSLOT', key);
    const slots = await this.on<[number, number, [string, number]][]>(port, 'CLUSTER', 'SLOTS');
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return Number(range[2][1]);
  }

  /** kill -9 the node at `port`: no shutdown, no last write. */
  async kill(port: number): Promise<void> {
    const n = this.nodes.find((x) => x.port === port);
    if (!n || n.proc.exitCode !== null || n.proc.signalCode !== null) return;
    n.proc.kill('SIGKILL');
    await n.exited;
  }

  /** Stops every node and removes their files. */
  async stop(): Promise<void> {
    for (const n of this.alive()) n.proc.kill('SIGKILL');
    await Promise.all(this.nodes.map((n) => n.exited));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A private Redis master, a replica of it and one Sentinel watching them (as `mymaster`). */
export class RedisSentinel {
  private constructor(
    readonly master: PrivateRedis,
    readonly replica: PrivateRedis,
    readonly port: number,
    private readonly proc: ChildProcess,
    private readonly dir: string,
  ) {}

  static readonly NAME = 'mymaster';

  static async start(): Promise<RedisSentinel> {
    const master = await PrivateRedis.start({ appendonly: false });
    const replica = await PrivateRedis.start({ appendonly: false });
    // The replica copies the master at once (not 5 s later, in case more replicas ask).
    await call(master.port, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    await call(replica.port, 'REPLICAOF', '127.0.0.1', master.port);
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'waspada-sentinel-'));
    // Sentinel rewrites its configuration file as it learns: it must be its own, and writable.
    writeFileSync(join(dir, 'sentinel.conf'), [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
      `sentinel monitor ${RedisSentinel.NAME} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${RedisSentinel.NAME} 1000`,
      `sentinel failover-timeout ${RedisSentinel.NAME} 5000`,
    ].join('\n'));
    const proc = spawn('redis-server', [join(dir, 'sentinel.conf'), '--sentinel'], { stdio: 'ignore' });
    const s = new RedisSentinel(master, replica, port, proc, dir);
    await s.until((addr) => addr === master.port);
    return s;
  }

  /** The master's port as Sentinel names it now. */
  async masterPort(): Promise<number | null> {
    const addr = await call<[string, string] | null>(this.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', RedisSentinel.NAME).catch(() => null);
    return addr ? Number(addr[1]) : null;
  }

  /** Waits until Sentinel names a master that `ok` accepts (and the replica has copied it, at start). */
  async until(ok: (port: number | null) => boolean, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const info = await call<string>(this.replica.port, 'INFO', 'replication').catch(() => '');
      if (ok(await this.masterPort()) && (/role:master/.test(info) || /master_link_status:up/.test(info))) return;
      if (Date.now() > end) throw new Error(`Sentinel did not name the master expected within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    this.proc.kill('SIGKILL');
    await Promise.all([this.master.stop(), this.replica.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
