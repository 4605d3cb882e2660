// Broadcasts from a terminal: `npm run --silent broadcast -- <command>`. Needs the server's secrets
// (REDIS_URL, HASH_SECRET, DATA_ENCRYPTION_KEY); campaigns are run by the workers (`npm start` or
// `npm run worker`), never by this command.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Channel } from '../channels/port.js';
import { CHANNELS } from '../channels/registry.js';
import { ConfigError, loadConfig, redisTarget, requestedChannels, type Config } from '../config.js';
import { loadContent } from '../content/index.js';
import { Inbox } from '../conversation/inbox.js';
import { createLogger } from '../log.js';
import { RedisOutbox } from '../outbox/outbox.js';
import { RedisRecipients } from '../outbox/recipients.js';
import { requireHotlineConfig } from '../staff/cli.js';
import { DataCipher } from '../store/cipher.js';
import { keyspace } from '../store/keys.js';
import { connectRedis } from '../store/redis.js';
import { MediaError } from '../store/media.js';
import { CampaignError, parseSegment, type Campaign } from './campaigns.js';
import { buildBroadcast, type BroadcastParts } from './index.js';
import { importSubscribers } from './import.js';
import { subscriberTimeZone } from './zones.js';

export const USAGE = `usage: npm run --silent broadcast -- <command>
  send --segment lang=id,topic=scam-alerts --text-file FILE [--text-file-en FILE] [--fallback-id]
       [--media FILE] [--at ISO] [--urgent] [--dry-run] [--follow] [--as NAME]
                                 a campaign to a segment (keys: lang, topic (a|b), channel, region, destination);
                                 --media: a JPEG/PNG picture or MP4 video sent with the text as its caption;
                                 --dry-run counts recipients per channel and language and sends nothing
  test --to CHANNEL:USER --text-file FILE [--text-file-en FILE] [--media FILE]
                                 the message, as subscribers would get it, to one chat (yours) now
  status ID [--json]             state, counts and progress of a campaign
  pause ID | resume ID | cancel ID
  import FILE.csv                people who opted in elsewhere: columns channel,user_id,language,topics,consented_at
                                 (optional: region,destination); rows refused are counted and listed by line
  opt-out --channel C --user ID  ends every topic for a person; never written to again
  count --segment SPEC           how many subscribers a segment has`;

class UsageError extends Error {}

/** The server's Redis, an outbox over the configured channels (lanes not started), and the broadcast parts. */
async function open(config: Config): Promise<{ parts: BroadcastParts; channels: string[]; optIn(channel: string, user: string): Promise<void>; close(): Promise<void> }> {
  requireHotlineConfig(config);
  const log = createLogger(config.LOG_LEVEL ?? 'warn', 2);
  const target = redisTarget(config)!;
  const redis = await connectRedis(target);
  const keys = keyspace(config.REDIS_PREFIX);
  const cipher = DataCipher.fromConfig(config.DATA_ENCRYPTION_KEY!, config.DATA_ENCRYPTION_KEYS_OLD);
  const content = loadContent();
  const recipients = new RedisRecipients(redis, keys);
  const inbox = new Inbox({ redis, keys, cipher, hashSecret: config.HASH_SECRET, log });
  const channels: Channel[] = [];
  for (const m of requestedChannels(config)) if (!m.missing(config).length) channels.push(m.create({ settings: config, inbox, recipients, log, redis, keys }));
  const outbox = new RedisOutbox({ redis, keys, channels, render: (lang, reply) => content.renderer.reply(lang, reply), cipher, recipients, log });
  const parts = buildBroadcast({ redis, redisTarget: target, keys, cipher, hashSecret: config.HASH_SECRET!, outbox, timeZone: (s) => subscriberTimeZone(content.data, s), log, worker: false });
  return {
    parts,
    channels: channels.map((c) => c.name),
    async optIn(channel, user) {
      await CHANNELS.find((m) => m.name === channel)?.optIn?.({ settings: config, redis, keys }, user);
    },
    async close() {
      await parts.close();
      redis.disconnect();
    },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function describe(c: Campaign, progress: { done: number; total: number } | null): string {
  const lines = [
    `campaign ${c.id}: ${c.state}${c.urgent ? ' (urgent: quiet hours ignored)' : ''}`,
    `  by ${c.by}, created ${iso(c.createdAt)}, starts ${iso(c.at)}`,
    `  segment ${JSON.stringify(c.segment)}; languages ${Object.keys(c.texts).join(', ')}${c.fallbackToId ? ' (others get Indonesian)' : ''}`,
    ...(c.media ? [`  with a ${c.media.kind === 'image' ? 'picture' : 'video'} (${c.media.mime}, ${c.media.bytes} bytes)`] : []),
    `  ${Object.entries(c.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (progress) lines.push(`  progress ${progress.done}/${progress.total}`);
  return lines.join('\n');
}

export async function main(argv: string[], out: (s: string) => void = (s) => void process.stdout.write(`${s}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  let opened: Awaited<ReturnType<typeof open>> | null = null;
  try {
    const { values: o, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        segment: { type: 'string' },
        'text-file': { type: 'string' },
        'text-file-en': { type: 'string' },
        'fallback-id': { type: 'boolean' },
        at: { type: 'string' },
        urgent: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        follow: { type: 'boolean' },
        json: { type: 'boolean' },
        as: { type: 'string' },
        channel: { type: 'string' },
        user: { type: 'string' },
        media: { type: 'string' },
        to: { type: 'string' },
      },
    });
    if (!command || command === 'help' || command === '--help') {
      out(USAGE);
      return command ? 0 : 1;
    }
    const config = loadConfig();
    opened = await open(config);
    const { parts } = opened;
    const id = () => {
      if (!positionals[0]) throw new UsageError('a campaign id is needed');
      return positionals[0];
    };
    const read = (f: string | undefined) => (f ? readFileSync(f, 'utf8').trim() : undefined);
    const media = async () => (o.media ? parts.media.put(readFileSync(o.media)) : undefined);
    switch (command) {
      case 'send': {
        if (!o.segment) throw new UsageError('--segment is needed (e.g. lang=id,topic=scam-alerts)');
        const segment = parseSegment(o.segment);
        if (o['dry-run']) {
          const counts = await parts.campaigns.dryRun(segment, opened.channels);
          const total = Object.values(counts).reduce((a, per) => a + Object.values(per).reduce((x, y) => x + y, 0), 0);
          out(o.json ? JSON.stringify({ dryRun: true, total, counts }) : `${total} recipient(s): ${JSON.stringify(counts)} (nothing sent)`);
          return 0;
        }
        if (!o['text-file'] && !o['text-file-en']) throw new UsageError('--text-file (Indonesian) or --text-file-en is needed');
        const at = o.at ? Date.parse(o.at) : undefined;
        if (at !== undefined && Number.isNaN(at)) throw new UsageError(`--at "${o.at}" is not a date (ISO, e.g. 2026-12-01T08:00:00+07:00)`);
        const c = await parts.campaigns.create({
          texts: { id: read(o['text-file']), en: read(o['text-file-en']) },
          segment,
          fallbackToId: o['fallback-id'] ?? false,
          urgent: o.urgent ?? false,
          at,
          media: await media(),
          by: o.as ?? process.env.BROADCAST_STAFF ?? userInfo().username,
        });
        await parts.queue.schedule(c);
        const targets = await parts.subscribers.count(segment);
        out(o.json ? JSON.stringify({ id: c.id, state: c.state, at: iso(c.at), recipients_now: targets }) : `campaign ${c.id} scheduled for ${iso(c.at)}: ${targets} recipient(s) now in the segment`);
        if (o.follow) await follow(parts, c.id, out, Boolean(o.json));
        return 0;
      }
      case 'test': {
        const m = /^([a-z-]+):(.+)$/.exec(o.to ?? '');
        if (!m) throw new UsageError('--to CHANNEL:USER is needed (your own chat on that channel: CHANNEL as in the segment, USER your id there)');
        if (!o['text-file'] && !o['text-file-en']) throw new UsageError('--text-file (Indonesian) or --text-file-en is needed');
        const r = await parts.campaigns.testSend({ texts: { id: read(o['text-file']), en: read(o['text-file-en']) }, media: await media() }, { channel: m[1]!, user: m[2]! });
        out(o.json ? JSON.stringify({ test: true, to: o.to, results: r }) : Object.entries(r).map(([lang, x]) => `${lang}: ${x}`).join('\n'));
        return Object.values(r).every((x) => x === 'queued') ? 0 : 1;
      }
      case 'status': {
        const c = await parts.campaigns.get(id());
        if (!c) throw new CampaignError(`no campaign ${id()}`);
        const progress = await parts.queue.progress(c.id);
        out(o.json ? JSON.stringify({ ...c, progress }) : describe(c, progress));
        return 0;
      }
      case 'pause':
      case 'resume':
      case 'cancel': {
        const to = command === 'pause' ? 'paused' : command === 'resume' ? 'running' : 'cancelled';
        const state = await parts.campaigns.setState(id(), to);
        if (command === 'resume') await parts.queue.wake(id());
        out(o.json ? JSON.stringify({ id: id(), state }) : `campaign ${id()}: ${state}`);
        return 0;
      }
      case 'import': {
        if (!positionals[0]) throw new UsageError('a CSV file is needed');
        const known = Object.fromEntries(CHANNELS.map((m) => [m.name, m.userId]));
        const r = await importSubscribers(readFileSync(positionals[0], 'utf8'), parts.subscribers, known, Date.now(), (channel, user) => opened!.optIn(channel, user));
        if (o.json) out(JSON.stringify(r));
        else {
          out(`${r.added} added, ${r.updated} updated, ${r.optedOut} refused (opted out before), ${r.refused.length} refused`);
          for (const x of r.refused.slice(0, 50)) out(`  line ${x.line}: ${x.reason}`);
          if (r.refused.length > 50) out(`  … ${r.refused.length - 50} more`);
        }
        return r.refused.length && !r.added && !r.updated ? 1 : 0;
      }
      case 'opt-out': {
        if (!o.channel || !o.user) throw new UsageError('--channel and --user are needed');
        const was = await parts.subscribers.optOut(o.channel, o.user);
        out(o.json ? JSON.stringify({ optedOut: true, wasSubscribed: was }) : was ? 'opted out: no topic left, never written to again' : 'not subscribed; recorded as opted out');
        return 0;
      }
      case 'count': {
        if (!o.segment) throw new UsageError('--segment is needed');
        const n = await parts.subscribers.count(parseSegment(o.segment));
        out(o.json ? JSON.stringify({ count: n }) : String(n));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    const message = e instanceof UsageError ? `${e.message}\n${USAGE}` : e instanceof ConfigError || e instanceof CampaignError || e instanceof MediaError ? e.message : ((e as Error).message ?? String(e));
    process.stderr.write(`broadcast: ${message}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}

/** Progress until the campaign is handed over in full: a bar on a terminal, JSON lines otherwise. */
async function follow(parts: BroadcastParts, id: string, out: (s: string) => void, json: boolean): Promise<void> {
  const tty = !json && process.stdout.isTTY;
  for (;;) {
    const c = await parts.campaigns.get(id);
    if (!c) return;
    const p = (await parts.queue.progress(id)) ?? { done: 0, total: c.counts.targets };
    if (tty) {
      const width = 30;
      const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
      process.stdout.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${c.state}   `);
    } else out(JSON.stringify({ id, state: c.state, done: p.done, total: p.total, counts: c.counts }));
    if (c.state === 'done' || c.state === 'cancelled') {
      if (tty) process.stdout.write('\n');
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
