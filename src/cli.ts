// Command line: demo, chat, flows:check, flows:graph, serve. What only some commands use is imported
// by those commands (the terminal, the diagrams, the memory store): serve starts without them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHANNELS } from './channels/registry.js';
import { ConfigError, loadConfig, redisTarget, requireServeConfig } from './config.js';
import { loadCheckedContent, writeContentBundle } from './content/compiled.js';
import { checkContent, contentDirs, contentFrom, loadContent, readContentParts, ROOT } from './content/index.js';
import { effectSignatures, loadChecker } from './conversation/effects.js';
import { CODE_KEYS, ConversationService, DEMO_HASH_SECRET } from './conversation/service.js';
import { formatProblem } from './engine/flow.js';
import { createLogger, type Logger } from './log.js';
import { DataCipher } from './store/cipher.js';
import { connectRedis, RedisStore } from './store/redis.js';
import type { Store } from './store/store.js';
import type { AgencyLookups } from './agencies/registry.js';
import { startWaspada } from './runtime.js';

function fail(message: string): never {
  process.stderr.write(`waspada: ${message}\n`);
  process.exit(1);
}

async function openStore(): Promise<{ store: Store; kind: string; agencies?: AgencyLookups }> {
  const config = loadConfig();
  const target = redisTarget(config);
  if (!target) {
    const { MemoryStore } = await import('./store/memory.js');
    return { store: new MemoryStore(), kind: 'memory (nothing is kept after exit)' };
  }
  const redis = await connectRedis(target);
  // Without a configured key, one made for this run: the conversation is sealed in Redis as in
  // production, and cannot be read once the run ends (say so).
  const throwaway = !config.DATA_ENCRYPTION_KEY;
  const cipher = throwaway ? DataCipher.throwaway() : DataCipher.fromConfig(config.DATA_ENCRYPTION_KEY!, config.DATA_ENCRYPTION_KEYS_OLD);
  if (throwaway) process.stderr.write('waspada: no DATA_ENCRYPTION_KEY: this run uses a throwaway key, so its conversation cannot be continued in another run\n');
  // The list of licensed agencies imported there (npm run agencies), if any: verdicts say whether an offer's agency is on it.
  const { AgencyRegistry } = await import('./agencies/registry.js');
  const { keyspace } = await import('./store/keys.js');
  const agencies = new AgencyRegistry(redis, keyspace(config.REDIS_PREFIX));
  return { store: new RedisStore(redis, config.REDIS_PREFIX, cipher), kind: `redis, prefix ${config.REDIS_PREFIX}${throwaway ? ', throwaway encryption key' : ''}`, agencies };
}

async function chat(args: string[], interactiveDefault: boolean): Promise<void> {
  const { values } = parseArgs({ args, options: { lang: { type: 'string' }, user: { type: 'string' } } });
  if (values.lang && !['id', 'en'].includes(values.lang)) fail(`--lang must be id or en (got "${values.lang}")`);
  const content = loadContent();
  if (content.problems.length) fail(`the flows have problems; run npm run flows:check\n${content.problems.map(formatProblem).join('\n')}`);
  const { store, kind, agencies } = await openStore();
  const log = createLogger(loadConfig().LOG_LEVEL ?? 'silent');
  const hashSecret = loadConfig().HASH_SECRET ?? DEMO_HASH_SECRET;
  const { HotlineService } = await import('./hotline/service.js');
  const hotline = new HotlineService({ store: store.cases, hashSecret, partners: content.data.partners });
  // Alert subscriptions are kept in memory here, even with REDIS_URL: the chat is for trying things out.
  const { MemorySubscribers } = await import('./broadcast/subscribers.js');
  const subscribers = new MemorySubscribers();
  // In memory (no REDIS_URL) there is no list of licensed agencies: verdicts say nothing of agencies.
  // Pictures sent with /image PATH are read here too (one OCR worker: one person at a terminal).
  const { PictureReader } = await import('./ocr/index.js');
  const pictures = new PictureReader({ workers: 1, langDir: loadConfig().OCR_LANG_DIR });
  const service = new ConversationService({ sessions: store.sessions, recruiters: store.recruiters, content, log, hashSecret, hotline, subscribers, agencies, pictures });
  const interactive = interactiveDefault && Boolean(process.stdin.isTTY);
  const { runTerminal } = await import('./channels/terminal.js');
  if (interactive) process.stdout.write(`(store: ${kind})\n`);
  try {
    await runTerminal({ service, input: process.stdin, output: process.stdout, interactive, lang: values.lang ?? null, userId: values.user });
  } finally {
    await pictures.close();
    await store.close();
  }
}

function flowsCheck(args: string[]): void {
  // --write <file>: also compiles what passed into a bundle that serve loads instead (npm run build).
  const { values } = parseArgs({ args, options: { root: { type: 'string' }, write: { type: 'string' } } });
  const root = values.root ? resolve(values.root) : ROOT;
  let problems;
  try {
    const parts = readContentParts(contentDirs(root), root);
    const content = contentFrom(parts);
    problems = checkContent(content, effectSignatures(), CODE_KEYS);
    if (!problems.length) {
      if (values.write) writeContentBundle(resolve(values.write), parts, contentDirs(root), root);
      process.stdout.write(`flows ok: ${content.bundle.flows.size} flows, ${content.texts.index('id').keys.size} texts in each language${values.write ? `; compiled into ${values.write}` : ''}\n`);
      return;
    }
  } catch (e) {
    fail((e as Error).message);
  }
  process.stderr.write(problems.map(formatProblem).join('\n') + `\n${problems.length} problem(s)\n`);
  process.exit(1);
}

async function flowsGraph(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  const out = resolve(values.out ?? join(ROOT, 'docs/flows'));
  const content = loadContent();
  const { flowToMermaid } = await import('./engine/graph.js');
  mkdirSync(out, { recursive: true });
  for (const flow of content.bundle.flows.values()) {
    writeFileSync(join(out, `${flow.id}.md`), flowToMermaid(flow, (key) => content.texts.t('id', key)));
  }
  process.stdout.write(`wrote ${content.bundle.flows.size} diagrams to ${out}\n`);
}

/** The configuration, a logger and the checked content: what `serve` and `worker` start from. */
function startup(args: string[]) {
  // --root: the folder holding flows/, locales/ and data/ (by default the repository or image root).
  const { values } = parseArgs({ args, options: { root: { type: 'string' } } });
  const config = loadConfig();
  requireServeConfig(config);
  const log = createLogger(config.LOG_LEVEL ?? 'info');
  // The content compiled and checked by the build, or (changed since, or no build) checked in full now.
  const { content, problems, checkedInFull } = loadCheckedContent(effectSignatures(), CODE_KEYS, { root: values.root ? resolve(values.root) : ROOT });
  if (problems.length) fail(`the flows have problems; run npm run flows:check\n${problems.map(formatProblem).join('\n')}`);
  if (checkedInFull) log.info({ why: checkedInFull }, 'content read and checked in full');
  return { config, log, content };
}

/** Stops on SIGTERM or SIGINT: `close` finishes what is in hand, then the process exits. */
function stopOnSignals(log: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing messages in hand');
    close().then(
      () => process.exit(0),
      (e: Error) => {
        log.error({ err: e.message }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function serve(args: string[]): Promise<void> {
  const { config, log, content } = startup(args);
  const running = await startWaspada(config, { log, content });
  // Listening: what serving a message may need is loaded soon rather than by the first person who needs
  // it; a second after start, not at once: loading it holds the event loop about 100 ms, which would
  // hold back the first health check and webhook answers of a process just started (a message that
  // needs the checker meanwhile loads it itself).
  setTimeout(() => loadChecker().catch((e: Error) => log.error({ err: e.message }, 'could not load the job-offer checker')), 1000).unref();
  stopOnSignals(log, () => running.close());
}

/** `npm run worker`: campaigns and the outbox's senders, without the web server. */
async function worker(args: string[]): Promise<void> {
  const { config, log, content } = startup(args);
  const { startWorker } = await import('./worker.js');
  const running = await startWorker(config, { log, content });
  stopOnSignals(log, () => running.close());
}

/** Commands the channels add (e.g. registering a webhook). */
function channelCommand(name: string) {
  for (const m of CHANNELS) {
    const cmd = m.commands?.[name];
    if (cmd) return cmd;
  }
  return undefined;
}

async function runChannelCommand(name: string, args: string[]): Promise<void> {
  const cmd = channelCommand(name)!;
  try {
    process.stdout.write(`${await cmd.run(args, loadConfig())}\n`);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    fail((e as Error).message);
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'demo':
      return chat(args, true);
    case 'chat':
      return chat(args, true);
    case 'flows:check':
      return flowsCheck(args);
    case 'flows:graph':
      return flowsGraph(args);
    case 'serve':
      return serve(args);
    case 'worker':
      return worker(args);
    default: {
      if (command && channelCommand(command)) return runChannelCommand(command, args);
      const all = ['demo', 'chat', 'serve', 'worker', 'flows:check', 'flows:graph', ...CHANNELS.flatMap((m) => Object.keys(m.commands ?? {}))];
      fail(`unknown command "${command ?? ''}". Commands: ${all.join(', ')}`);
    }
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) fail(`configuration:\n${e.message}`);
  fail((e as Error).message);
});
