// The WhatsApp Cloud API webhook path beside Telegram's, in one run, on the same typed conversation
// as the webhook bench (bench/webhook.ts: `/start | lapor | Siti Aminah | Kamboja | dua minggu lalu`,
// users × rounds × 5 steps, `concurrency` users in flight, each step posted once the previous step's
// first reply reached the fake). Each path is its own Waspada server process (compiled, `node
// dist/src/cli.js serve`, the Dockerfile's NODE_OPTIONS) serving that one channel, with its own
// private redis-server and its own fake in this process:
// - telegram: signed updates (secret-token header) to POST /webhooks/telegram; replies to the fake
//   Bot API of webhook.ts (no limits).
// - whatsapp: posts shaped as Meta's examples (test/helpers/whatsapp.ts), signed with
//   X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret), to POST
//   /webhooks/whatsapp; replies and read receipts to the strict fake Graph API
//   (test/fakes/whatsapp-cloud-api.ts), its throughput and pair rate lifted, as the server's own
//   WhatsApp limits are (this measures CPU, not Meta's limits).
// - whatsapp_statuses: the same, with the fake posting Meta's `sent` and `delivered` statuses of every
//   reply back to the webhook, signed, as Meta does: what a person's message costs with the traffic
//   it brings.
// The server-starting, measuring and driving code is webhook.ts's (startBot, measure, measureIdle);
// this file adds the WhatsApp wire, the Graph fake's adapter, the reply checks and the report.
// Order rotated each repeat, ratios taken per repeat, medians with min–max.
//
// Env: BENCH_USERS (400), BENCH_ROUNDS (2), BENCH_REPEATS (3), BENCH_CONCURRENCY (64),
// BENCH_SEQUENTIAL_USERS (10), BENCH_PATHS (comma list, default telegram,whatsapp,whatsapp_statuses).
import { setTimeout as sleep } from 'node:timers/promises';
import { sign, startFakeGraph, type FakeGraph } from '../test/fakes/whatsapp-cloud-api.js';
import { msg, WA, webhook } from '../test/helpers/whatsapp.js';
import { DOCKER_NODE_OPTIONS } from './waspada-env.js';
import {
  COMPILED,
  fmt,
  measure,
  measureIdle,
  mmm,
  newFake,
  putMedian,
  ROOT,
  SCRIPT,
  WASPADA_SCRIPT,
  ONBOARD,
  settingsFigures,
  sizeFromEnv,
  startBot,
  startFake,
  stopBot,
  WARMUP_USERS,
  waspada,
  type Bot,
  type BotDef,
  type DriveOpts,
  type Fake,
  type Run,
  type Settings,
  type Wire,
} from './webhook.js';

const WA_PATH = '/webhooks/whatsapp';
const WAITING_TEMPLATE = 'waspada_message_waiting';

interface Path {
  id: string;
  label: string;
  fake: Fake;
  graph?: FakeGraph;
  wire?: Wire;
  def: BotDef;
  bot?: Bot;
  /** replies the fake recorded, per chat */
  perChat: Map<string, number>;
  /** replies every user must get over the whole conversation (from the warm-up users, who all agree) */
  expected: number;
  failedUsers: number;
  /** Graph API calls answered with an error (a rate limit, a shape Meta refuses) */
  refusals: number;
  readReceipts: number;
  /** CPU of this process (driver and fakes) per update, per run */
  driverCpu: number[];
}

/** Counts what the fake records per chat (the reply check), on top of webhook.ts's counts. */
function countPerChat(fake: Fake): Map<string, number> {
  const perChat = new Map<string, number>();
  const record = fake.record;
  fake.record = (chat, text, bytes) => {
    perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    record(chat, text, bytes);
  };
  return perChat;
}

/** The strict fake Graph API, its limits lifted, recording every accepted message as webhook.ts's fake does. */
async function startGraph(statuses: boolean): Promise<{ graph: FakeGraph; fake: Fake }> {
  // Meta's pair rate (1 per 6 s per person, bursts of 45) and throughput (80/s) lifted.
  const graph = await startFakeGraph({ token: WA.token, phoneNumberId: WA.phoneNumberId, appSecret: WA.appSecret, templates: [WAITING_TEMPLATE], statuses, perSecond: 1e9, pairSeconds: 1e-6, pairBurst: 1e9 });
  const fake = newFake(() => graph.close());
  fake.apiRoot = graph.apiRoot;
  const push = graph.sentAll.push.bind(graph.sentAll);
  graph.sentAll.push = (...sent) => {
    for (const s of sent) fake.record(s.to, s.text, JSON.stringify(s.body).length);
    return push(...sent);
  };
  return { graph, fake };
}

/** A person's typed message as Meta posts it: the documented shape, signed with the app secret. */
const whatsappWire = (graph: FakeGraph): Wire => ({
  path: WA_PATH,
  post(chat, text) {
    const from = String(chat);
    graph.wrote(from); // the person wrote: their 24-hour window is open (the fake checks it)
    const body = JSON.stringify(webhook([msg.text(from, text)]));
    return { body, headers: { 'x-hub-signature-256': sign(body, WA.appSecret) } };
  },
});

/** Waspada as deployed serving only the WhatsApp Cloud API, its own WhatsApp limits lifted. */
function whatsappDef(id: string, graph: FakeGraph): BotDef {
  const deployed = waspada(id, ROOT, DOCKER_NODE_OPTIONS);
  return {
    ...deployed,
    env: (o) => {
      // Statuses (and any failure Meta reports, such as 131047) go back to this server's webhook.
      graph.opts.webhookUrl = `http://127.0.0.1:${o.port}${WA_PATH}`;
      const base = Object.entries(deployed.env(o)).filter(([k]) => !k.startsWith('TELEGRAM_'));
      return {
        ...Object.fromEntries(base),
        WHATSAPP_ACCESS_TOKEN: WA.token,
        WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
        WHATSAPP_APP_SECRET: WA.appSecret,
        WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
        WHATSAPP_CLOUD_API_ROOT: o.apiRoot,
        WHATSAPP_RATE_GLOBAL: '1000000000',
        WHATSAPP_SECONDS_PER_CHAT: '0.000001',
        WHATSAPP_BURST_PER_CHAT: '45',
      };
    },
  };
}

async function newPath(id: string): Promise<Path> {
  const common = { id, perChat: new Map<string, number>(), expected: 0, failedUsers: 0, refusals: 0, readReceipts: 0, driverCpu: [] };
  if (id === 'telegram') {
    const fake = await startFake();
    return { ...common, label: 'telegram', fake, perChat: countPerChat(fake), def: waspada(id, ROOT, DOCKER_NODE_OPTIONS) };
  }
  if (id !== 'whatsapp' && id !== 'whatsapp_statuses') throw new Error(`BENCH_PATHS: no path ${id} (telegram, whatsapp, whatsapp_statuses)`);
  const { graph, fake } = await startGraph(id === 'whatsapp_statuses');
  const label = id === 'whatsapp' ? 'whatsapp' : 'whatsapp + Meta’s statuses';
  return { ...common, label, fake, graph, wire: whatsappWire(graph), perChat: countPerChat(fake), def: whatsappDef(id, graph) };
}

/**
 * Checks the users of chats [from, from + n): each must have got `p.expected` replies. Then forgets
 * them, and what the Graph fake kept (counting its refusals and read receipts first).
 */
function check(p: Path, from: number, n: number): void {
  for (let c = from; c < from + n; c++) {
    if ((p.perChat.get(String(c)) ?? 0) !== p.expected) p.failedUsers++;
    p.perChat.delete(String(c));
  }
  if (!p.graph) return;
  p.refusals += p.graph.calls.filter((c) => c.status >= 300).length;
  p.readReceipts += p.graph.reads.length;
  p.graph.calls.length = 0;
  p.graph.sentAll.length = 0;
  p.graph.reads.length = 0;
}

/** The replies a user gets over the conversation: what the warm-up users all got (the most common count, if they differ). */
function expectedReplies(p: Path, from: number): number {
  const counts = new Map<number, number>();
  for (let c = from; c < from + WARMUP_USERS; c++) {
    const n = p.perChat.get(String(c)) ?? 0;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

export async function benchWhatsapp(): Promise<Record<string, number | string>> {
  if (!COMPILED) throw new Error('the WhatsApp bench measures the compiled code: run it through `npm run bench -- whatsapp`');
  const { users, rounds, repeats, concurrency, seqUsers } = sizeFromEnv(10);
  const ids = (process.env.BENCH_PATHS ?? 'telegram,whatsapp,whatsapp_statuses').split(',').filter(Boolean);
  const opts = (p: Path, chatBase: number): DriveOpts => ({ rounds, concurrency, chatBase, ...(p.wire ? { wire: p.wire } : {}) });
  const paths: Path[] = [];
  const order: string[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      const p = await newPath(id);
      paths.push(p);
      const base = 900_000 + i * 1000;
      p.bot = await startBot(p.def, p.fake.apiRoot, p.fake, opts(p, base));
      p.expected = expectedReplies(p, base);
      if (p.expected < rounds * SCRIPT.length) throw new Error(`${id}: the warm-up users got ${p.expected} replies, fewer than one a step`);
      check(p, base, WARMUP_USERS);
    }
    await sleep(500);
    for (const p of paths) p.bot!.idle = await measureIdle(p.bot!, 3000);
    let chat = 1_000_000;
    for (let r = 0; r < repeats; r++) {
      const seq = paths.map((_, i) => paths[(i + r) % paths.length]!);
      order.push(seq.map((p) => p.label).join(' > '));
      for (const p of seq) {
        const cpu0 = process.cpuUsage();
        const run = await measure(p.bot!, p.fake, users, chat, opts(p, chat), r + 1, seqUsers);
        const cpu = process.cpuUsage(cpu0);
        p.bot!.runs.push(run);
        // (not the onboarding of the run's users: outside every figure, as for the server)
        p.driverCpu.push(((cpu.user + cpu.system) / 1000 - run.onboardDriverMs) / ((users + seqUsers) * rounds * SCRIPT.length));
        check(p, chat, users + seqUsers);
        chat += users + seqUsers;
        process.stderr.write(`  whatsapp: repeat ${r + 1}/${repeats} ${p.label}: ${fmt(run.cpu)} ms CPU/update, p99 ${fmt(run.p99)} ms\n`);
      }
    }
  } finally {
    for (const p of paths) {
      if (p.bot) await stopBot(p.bot);
      await p.fake.close();
    }
  }
  return report(paths, { users, rounds, repeats, concurrency, seqUsers, order });
}

type Field = 'cpu' | 'p50' | 'p99' | 'perSec' | 'rss' | 'cmds';
const runsOf = (p: Path) => p.bot!.runs;
const col = (p: Path, f: keyof Run) => runsOf(p).map((r) => r[f] as number);
/** a / b per repeat: the two ran in the same repeat, one after the other. */
const ratios = (a: Path, b: Path, f: Field) => runsOf(a).map((r, i) => r[f] / runsOf(b)[i]![f]);
const failedOf = (p: Path) => p.failedUsers + runsOf(p).reduce((n, r) => n + r.errors + r.timeouts, 0);

function report(paths: Path[], s: Settings): Record<string, number | string> {
  const out = settingsFigures(s);
  const tg = paths.find((p) => p.id === 'telegram');
  for (const p of paths) {
    putMedian(out, `${p.id}_cpu_ms_per_update`, col(p, 'cpu'), 3);
    putMedian(out, `${p.id}_p50_ms`, col(p, 'p50'), 1);
    putMedian(out, `${p.id}_p99_ms`, col(p, 'p99'), 1);
    putMedian(out, `${p.id}_peak_rss_mb`, col(p, 'rss'), 1);
    if (tg && p !== tg) {
      putMedian(out, `${p.id}_cpu_ratio_vs_telegram`, ratios(p, tg, 'cpu'), 2);
      putMedian(out, `${p.id}_p50_ratio_vs_telegram`, ratios(p, tg, 'p50'), 2);
      putMedian(out, `${p.id}_p99_ratio_vs_telegram`, ratios(p, tg, 'p99'), 2);
    }
    out[`${p.id}_replies_per_user`] = p.expected;
  }
  out.failed = paths.reduce((n, p) => n + failedOf(p), 0);
  out.graph_refusals = paths.reduce((n, p) => n + p.refusals, 0);
  out.markdown = markdown(paths, s, tg);
  return out;
}

const DOES: Record<string, string> = {
  telegram:
    'checks the secret-token header and the update\'s shape; in one Redis script counts the sender against the flood limit, drops a seen `update_id` and keeps the sealed update in the durable inbox; answers 200; a worker runs the flow engine on the session and queues the reply in the durable outbox; the outbox sender posts `sendMessage` to the Bot API and acks the inbox',
  whatsapp:
    'checks `X-Hub-Signature-256` (HMAC-SHA256 of the raw body, constant-time) before parsing, reads Meta\'s nested `entry[].changes[].value.messages[]`, keeps the message in the durable inbox (deduplicated by message id) and answers 200; the same worker, engine and outbox; the reply is rendered as Graph API messages (reply buttons, a list or numbered text) and posted with the bearer token; each message is also marked read (one more Graph API post, best effort)',
  whatsapp_statuses: 'the same as whatsapp, and the `sent` and `delivered` statuses Meta posts for every reply: each signed post checked and read (a status that is not `failed` is only acknowledged)',
};

function markdown(paths: Path[], s: Settings, tg: Path | undefined): string {
  const L: string[] = [];
  const row = (cells: (string | number)[]) => L.push(`| ${cells.join(' | ')} |`);
  const updates = s.users * s.rounds * SCRIPT.length;
  L.push(
    `Settings: ${s.users} users × ${s.rounds} rounds × ${SCRIPT.length} typed steps (\`${WASPADA_SCRIPT.join(' | ')}\`: the report walked, each user having sent \`${ONBOARD.join(' | ')}\` once before, outside every figure) = ${updates} updates per path per repeat, ${s.concurrency} users in flight, ${s.repeats} repeats, ${WARMUP_USERS} warm-up users per path first; each path a Waspada server process of its own (compiled, the Dockerfile's \`NODE_OPTIONS\`) serving only that channel, on its own redis-server (\`--save '' --appendonly no\`), replying to its own fake in the driver process.`,
    '',
    'Order per repeat (rotated):',
    '',
    ...s.order.map((o, i) => `${i + 1}. ${o}`),
    '',
    'Per update (a person\'s typed message), median (min–max) over the repeats:',
    '',
  );
  row(['path', 'CPU ms', 'p50 ms', 'p99 ms', 'webhook answer p99 ms', 'updates/s', 'peak RSS MB', 'Redis commands', 'Redis round trips, 1 user at a time', 'Redis server CPU ms', 'messages sent', 'read receipts', 'replies per user (expected)', 'driver + fake CPU ms', 'failed']);
  row(Array(15).fill('---'));
  for (const p of paths) {
    const c = (f: keyof Run) => mmm(col(p, f));
    const receipts = p.graph ? fmt(p.readReceipts / ((s.users + s.seqUsers) * s.rounds * SCRIPT.length * s.repeats + WARMUP_USERS * s.rounds * SCRIPT.length), 2) : '—';
    row([p.label, c('cpu'), c('p50'), c('p99'), c('ackP99'), c('perSec'), c('rss'), c('cmds'), c('seqTrips'), c('redisCpu'), c('replies'), receipts, p.expected, mmm(p.driverCpu), failedOf(p)]);
  }
  if (tg && paths.length > 1) {
    L.push('', 'Over Telegram\'s path, taken per repeat (same repeat, one after the other), median (min–max); above 1 is the WhatsApp path dearer or slower:', '');
    row(['', 'CPU', 'p50', 'p99', 'updates/s', 'peak RSS', 'Redis commands']);
    row(Array(7).fill('---'));
    for (const p of paths) if (p !== tg) row([`${p.label} / telegram`, ...(['cpu', 'p50', 'p99', 'perSec', 'rss', 'cmds'] as Field[]).map((f) => mmm(ratios(p, tg, f)))]);
  }
  L.push('', 'Idle, per second (3 s without updates, after the warm-up):', '');
  row(['path', 'CPU ms/s', 'Redis commands/s']);
  row(Array(3).fill('---'));
  for (const p of paths) if (p.bot!.idle) row([p.label, fmt(p.bot!.idle.cpuMs), fmt(p.bot!.idle.cmds)]);
  L.push('', 'Per repeat, CPU ms per update / p99 ms:', '');
  row(['repeat', ...paths.map((p) => p.label)]);
  row(Array(paths.length + 1).fill('---'));
  for (let i = 0; i < s.repeats; i++) row([String(i + 1), ...paths.map((p) => `${fmt(runsOf(p)[i]!.cpu)} / ${fmt(runsOf(p)[i]!.p99)}`)]);
  L.push(
    '',
    '### Notes',
    '',
    '- Measured as the webhook bench measures (its code): latency from the POST of a typed message to the first reply of that person reaching the fake (the next step waits for both the webhook answer and that reply); CPU is user + system time of the server\'s process tree from `/proc`, read once the replies stopped for 300 ms; peak RSS is the kernel\'s VmHWM of the tree (reset before each run), at least the highest 100 ms sample. Redis figures from the server\'s own redis-server (`INFO commandstats`) and the round-trip preload. The one-user-at-a-time pass after each run is outside its CPU and latency.',
    '- Same for every path: the same compiled server and Node options, the same typed words, users in flight and rounds, fresh chat ids in every run, a warm-up first, the order rotated every repeat. Meta\'s rate limits (fake and server) and Telegram\'s (server) are lifted: this measures the work per message, not waiting.',
    `- Failed counts users whose conversation went wrong: a step with no reply within 10 s, a webhook answer other than 2xx, or a number of replies other than the warm-up users' (${paths.map((p) => `${p.label} ${p.expected}`).join(', ')}); every user of every run, warm-up and one-user-at-a-time users included, is checked. Graph refusals are Graph API calls the fake answered with an error (a rate limit, a shape or size Meta refuses, a template Meta does not know): ${paths.reduce((n, p) => n + p.refusals, 0)}.`,
    '- The driver and the fakes share the 2 cores with the server: the WhatsApp path costs the driver more (an HMAC per post, the Graph fake parses and checks two posts per message, and with statuses it signs and posts two more), which the "driver + fake CPU ms" column shows; that load can lengthen the WhatsApp path\'s latency, not its server CPU.',
    '- What each path does per message:',
    ...paths.map((p) => `  - ${p.label}: ${DOES[p.id] ?? ''}`),
    '- The first five messages each path sent the first warm-up user (for WhatsApp the text a person sees: a text body, an interactive message\'s body):',
    ...paths.map((p) => `  - ${p.label}: ${p.bot!.sample.map((t) => `«${t.replace(/\s+/g, ' ').slice(0, 60)}${t.length > 60 ? '…' : ''}»`).join(' → ')}`),
  );
  return L.join('\n');
}

