// Drives a Telegram webhook the way Telegram would (used by test/fakes/telegram-api.test.ts, with the
// telegraf bot of telegraf-wizard.ts; the webhook bench has its own driver, after the independent
// harness's pair.mjs, in webhook.ts): `users` users each send `steps` as
// consecutive text-message updates, POSTed to the bot's webhook URL with the secret-token header. A user's
// next message goes out only after the bot's reply to the previous one reached the fake Bot API (and the
// webhook POST was answered, as Telegram waits for it), so latency = POST sent → first reply recorded by
// the fake for that chat. `concurrency` users are in flight at once. The server process is measured
// through `cpu()` (its own process.cpuUsage() and RSS), sampled periodically for the peak RSS.
//
// A bot may also answer in the webhook response body ({ method: 'sendMessage', ... }), as Telegram
// allows; the harness hands such a body to the fake, which performs it like Telegram would.
import { Agent, request } from 'node:http';
import type { FakeTelegram } from '../test/fakes/telegram-api.js';

export interface CpuSample {
  /** µs, process.cpuUsage().user of the server process */
  user: number;
  /** µs */
  system: number;
  /** bytes */
  rss: number;
}

export interface DriveOptions {
  url: string;
  secret: string;
  users: number;
  steps: string[];
  concurrency: number;
  fake: FakeTelegram;
  /** Telegram user/chat id of user 0; default 700_000_000. Give each run its own range. */
  userIdBase?: number;
  /** update_id of the first update; default 1. */
  updateIdBase?: number;
  cpu: () => Promise<CpuSample>;
  /** Messages the bot must have sent each user by the end of the conversation. */
  expectedRepliesPerUser: number;
  /** How long one step may wait for its reply; default 10 s. */
  stepTimeoutMs?: number;
  /** RSS sampling period; default 50 ms. */
  sampleEveryMs?: number;
}

export interface DriveFigures {
  /** Updates POSTed. */
  updates: number;
  updates_per_s: number;
  /** Server CPU (user + system) over the run, per update. */
  cpu_ms_per_update: number;
  p50_ms: number;
  p99_ms: number;
  peak_rss_mb: number;
  /**
   * Users whose conversation went wrong: a step without a reply within stepTimeoutMs, a webhook answer
   * other than 2xx (or a network error), or a reply count other than expectedRepliesPerUser.
   */
  failed: number;
  /**
   * CPU of this (driver + fake) process per update. Near 1000 / updates_per_s means the driver, not the
   * server, was the bottleneck.
   */
  driver_cpu_ms_per_update: number;
}

interface PostResult {
  status: number;
  body: string;
  contentType: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (x: number, digits: number) => +x.toFixed(digits);

export async function driveWebhook(opts: DriveOptions): Promise<DriveFigures> {
  const { fake, steps, users, secret } = opts;
  const concurrency = Math.max(1, Math.min(opts.concurrency, users));
  const userIdBase = opts.userIdBase ?? 700_000_000;
  const stepTimeoutMs = opts.stepTimeoutMs ?? 10_000;
  const target = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, keepAliveMsecs: 10_000 });
  let nextUpdateId = opts.updateIdBase ?? 1;

  const post = (payload: string): Promise<PostResult> =>
    new Promise((resolve) => {
      const req = request(
        {
          agent,
          method: 'POST',
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'x-telegram-bot-api-secret-token': secret,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }),
          );
          res.on('error', () => resolve({ status: 0, body: '', contentType: '' }));
        },
      );
      req.on('error', () => resolve({ status: 0, body: '', contentType: '' }));
      req.end(payload);
    });

  const latencies = new Float64Array(users * steps.length);
  let latencyCount = 0;
  let updates = 0;
  let failed = 0;

  const converse = async (u: number): Promise<void> => {
    const chatId = userIdBase + u;
    const firstName = `Pengguna ${u}`;
    let replies = 0;
    let sentAt = 0;
    let onReply: ((latencyMs: number) => void) | null = null;
    let onCount: (() => void) | null = null;
    const off = fake.onSend(chatId, () => {
      replies++;
      if (onReply) {
        const r = onReply;
        onReply = null;
        r(performance.now() - sentAt);
      }
      onCount?.();
    });
    let ok = true;
    try {
      for (let i = 0; i < steps.length; i++) {
        const text = steps[i]!;
        const message: Record<string, unknown> = {
          message_id: i + 1,
          from: { id: chatId, is_bot: false, first_name: firstName, language_code: 'id' },
          chat: { id: chatId, first_name: firstName, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text,
        };
        if (text.startsWith('/')) message.entities = [{ type: 'bot_command', offset: 0, length: text.split(/\s/, 1)[0]!.length }];
        const payload = JSON.stringify({ update_id: nextUpdateId++, message });

        let timer: NodeJS.Timeout | undefined;
        const replied = new Promise<number | null>((resolve) => {
          onReply = resolve;
          timer = setTimeout(() => {
            onReply = null;
            resolve(null);
          }, stepTimeoutMs);
        });
        sentAt = performance.now();
        updates++;
        const answered = post(payload).then((res) => {
          // A method call in the webhook answer is performed by Telegram: hand it to the fake.
          if (res.status >= 200 && res.status < 300 && res.body && res.contentType.includes('json')) {
            try {
              fake.handleWebhookReply(JSON.parse(res.body));
            } catch {
              /* not JSON: nothing to perform */
            }
          }
          return res;
        });
        const [latency, res] = await Promise.all([replied, answered]);
        clearTimeout(timer);
        if (latency === null || res.status < 200 || res.status >= 300) {
          ok = false;
          break;
        }
        latencies[latencyCount++] = latency;
      }
      if (ok && replies < opts.expectedRepliesPerUser) {
        // Replies sent after the last webhook answer (an asynchronous bot) get a short grace period.
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 2000);
          onCount = () => {
            if (replies >= opts.expectedRepliesPerUser) {
              clearTimeout(t);
              resolve();
            }
          };
        });
      }
      if (!ok || replies !== opts.expectedRepliesPerUser) failed++;
    } finally {
      off();
    }
  };

  // Peak RSS of the server, sampled while the run goes.
  let peakRss = 0;
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      peakRss = Math.max(peakRss, (await opts.cpu()).rss);
    } catch {
      /* a sample lost is not a failure */
    } finally {
      sampling = false;
    }
  };
  const cpu0 = await opts.cpu();
  peakRss = cpu0.rss;
  const sampler = setInterval(() => void sample(), opts.sampleEveryMs ?? 50);

  const driverCpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < users) await converse(next++);
    }),
  );
  const wallMs = performance.now() - t0;
  const driverCpu = process.cpuUsage(driverCpu0);
  clearInterval(sampler);
  const cpu1 = await opts.cpu();
  peakRss = Math.max(peakRss, cpu1.rss);
  agent.destroy();

  const sorted = latencies.slice(0, latencyCount).sort();
  const cpuUs = cpu1.user + cpu1.system - (cpu0.user + cpu0.system);
  return {
    updates,
    updates_per_s: round(updates / (wallMs / 1000), 1),
    cpu_ms_per_update: updates ? round(cpuUs / 1000 / updates, 4) : NaN,
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    peak_rss_mb: round(peakRss / 2 ** 20, 1),
    failed,
    driver_cpu_ms_per_update: updates ? round((driverCpu.user + driverCpu.system) / 1000 / updates, 4) : NaN,
  };
}
