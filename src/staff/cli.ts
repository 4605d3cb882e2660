// The hotline from a terminal: `npm run --silent hotline -- <command>`. Whoever has the server's secrets
// (REDIS_URL, HASH_SECRET, DATA_ENCRYPTION_KEY) is an admin; they act under a name (--as, HOTLINE_STAFF,
// or their login) that the audit log records. Status messages for families go into the same outbox the
// server sends from (its lanes are not started here: the server's senders take them).
import { safetySwitch } from '../conversation/safety.js';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RedisClient } from '../store/connection.js';
import type { Channel } from '../channels/port.js';
import { ConfigError, loadConfig, redisMissing, redisTarget, requestedChannels, type Config } from '../config.js';
import { loadContent } from '../content/index.js';
import { Inbox } from '../conversation/inbox.js';
import { normaliseCaseId, type CaseFilter } from '../hotline/cases.js';
import { partnerLabel } from '../hotline/partners.js';
import { DuplicateIndex } from '../hotline/duplicates.js';
import { Conflict, Forbidden, HotlineService, Invalid, NotFound, type Staff, type StaffCase } from '../hotline/service.js';
import { STAGES, type Case, type CaseSummary, type Stage } from '../hotline/types.js';
import { createLogger } from '../log.js';
import { RedisOutbox } from '../outbox/outbox.js';
import { RedisRecipients } from '../outbox/recipients.js';
import { DataCipher } from '../store/cipher.js';
import { keyspace } from '../store/keys.js';
import { connectRedis, RedisStore } from '../store/redis.js';
import { Metrics } from './metrics.js';
import { BadStaff, checkStaffName, StaffTokens } from './tokens.js';

export const USAGE = `usage: npm run --silent hotline -- <command> [--as NAME]
  list [--json] [--stage S] [--open] [--queued] [--urgent] [--mine] [--limit N]
                                 cases, urgent first in the queue (no personal field)
  show ID [--json]               one case with its details, notes and history (audited)
  claim [ID]                     take a case by number, or the next of the queue
  note ID TEXT [--family]        add a note; --family also sends it to the family
  refer ID PARTNER               refer to a partner (see: partners); the family is told
  stage ID STAGE                 set the stage (${STAGES.filter((s) => s !== 'closed').join(', ')}); the family is told
  safety ID on                   safety mode for the reporter: nothing reaches their chat unasked (audited;
                                 only the person switches it off, in the chat)
  close ID OUTCOME               close with an outcome (found, returned_home, referred_elsewhere, no_contact, duplicate...)
  audit [ID] [--json] [--limit N]  who read or changed what (of one case, or all)
  partners [--json]              referral partners (data/partners.yaml)
  token --name NAME --role agent|campaign|admin [--chat CHANNEL:USER]
                                                  a new API token for NAME (replaces theirs); --chat: their own
                                                  chat, the only one campaign test sends may go to
  revoke --name NAME             end NAME's API token
  staff [--json]                 who has a token (never the tokens)
  purge                          remove personal fields of cases closed longer than CASE_RETENTION_DAYS
  reseal                         seal every case again with the current key (after a key rotation)
  watch [--group G] [--once] [--json]  print new cases as they come (urgent marked), each once per group
Needs REDIS_URL, HASH_SECRET and DATA_ENCRYPTION_KEY (the server's). You act as --as NAME, else
HOTLINE_STAFF, else your login name, with the admin role.`;

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The command line of a staff tool (`tool`: its name in messages): its options plus --help. The parsed
 * values and the command, or the exit code when there is nothing to run (usage shown).
 */
export function parseCommand<O extends Options>(tool: string, usage: string, argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } } });
  } catch (e) {
    process.stderr.write(`${tool}: ${(e as Error).message}\n${usage}\n`);
    return 1;
  }
  const command = parsed.positionals[0];
  const help = (parsed.values as { help?: boolean }).help;
  if (help || !command) {
    (command || help ? process.stdout : process.stderr).write(`${usage}\n`);
    return help ? 0 : 1;
  }
  return { o: parsed.values, p: parsed.positionals, command };
}

const say = (text: string) => process.stdout.write(`${text}\n`);
const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** The settings the CLI needs, each missing one named. */
export function requireHotlineConfig(c: Config): void {
  const missing: string[] = [];
  if (!redisTarget(c)) missing.push(redisMissing('(the cases live in Redis; the server\'s, e.g. redis://127.0.0.1:6379/0)'));
  if (!c.HASH_SECRET) missing.push('HASH_SECRET: needed (the server\'s: it keys the references of chats and case secrets)');
  if (!c.DATA_ENCRYPTION_KEY) missing.push('DATA_ENCRYPTION_KEY: needed (the server\'s: cases are sealed with it)');
  if (missing.length) throw new ConfigError(missing.join('\n'));
}

function caseId(raw: string | undefined, what = 'ID'): string {
  if (!raw) throw new UsageError(`a case number is needed (${what})`);
  const id = normaliseCaseId(raw);
  if (!id) throw new UsageError(`"${raw}" is not a case number (they look like WSP-7K3M-9Q)`);
  return id;
}

function positional(args: string[], i: number, what: string): string {
  const v = args[i];
  if (v === undefined || v === '') throw new UsageError(`${what} is needed`);
  return v;
}

function summaryLine(c: CaseSummary): string {
  return [c.id, c.stage.padEnd(10), c.kind.padEnd(9), c.urgent ? 'URGENT' : '      ', `opened ${iso(c.openedAt)}`, c.claimedBy ? `held by ${c.claimedBy}` : 'queued', c.partner ? `partner ${c.partner}` : '']
    .filter(Boolean)
    .join('  ')
    .trimEnd();
}

function showCase(c: StaffCase, events: { type: string; at: number; by: string; detail?: Record<string, unknown> }[]): void {
  say(`${c.id}  ${c.kind}${c.urgent ? '  URGENT' : ''}  stage ${c.stage}  lang ${c.lang}  channel ${c.channel}`);
  say(`opened ${iso(c.openedAt)}  updated ${iso(c.updatedAt)}  ${c.claimedBy ? `held by ${c.claimedBy}${c.claimUntil ? ` until ${iso(c.claimUntil)}` : ''}` : 'queued'}`);
  if (c.partner) say(`partner ${c.partner}`);
  if (c.outcome) say(`closed ${iso(c.closedAt)}: ${c.outcome}`);
  say(`may be shared with partners: ${c.consentShare ? 'yes' : 'no'}`);
  if (c.details) {
    say('details:');
    for (const [k, v] of Object.entries(c.details)) {
      if (v === null || v === undefined || k === 'additions' || k === 'offerContacts') continue;
      say(`  ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
    }
    for (const a of c.details.additions ?? []) say(`  added ${iso(a.at)}: ${a.text}`);
  } else say('details: removed');
  say(c.reporter ? `reporter: ${c.reporter.channel} chat ${c.reporter.chat}${c.reporter.contact ? `, contact ${c.reporter.contact}` : ''}` : 'reporter: removed');
  for (const e of c.erased) say(`personal fields removed ${iso(e.at)}: ${e.reason}`);
  if (c.notes.length) say('notes:');
  for (const n of c.notes) say(`  ${iso(n.at)} ${n.by}${n.family ? ' (to the family)' : ''}: ${n.text}`);
  say('history:');
  for (const e of events) say(`  ${iso(e.at)} ${e.type} by ${e.by}${e.detail ? ` ${JSON.stringify(e.detail)}` : ''}`);
}

interface Opened {
  redis: RedisClient;
  hotline: HotlineService;
  tokens: StaffTokens;
  config: Config;
  close(): Promise<void>;
}

/** Connects to the server's Redis and builds the hotline with an outbox over the configured channels. */
async function open(config: Config, tellsFamily: boolean): Promise<Opened> {
  requireHotlineConfig(config);
  // Logs go to standard error: standard output is the command's answer (--json is one JSON object).
  const log = createLogger(config.LOG_LEVEL ?? 'warn', 2);
  const redis = await connectRedis(redisTarget(config)!);
  const keys = keyspace(config.REDIS_PREFIX);
  const cipher = DataCipher.fromConfig(config.DATA_ENCRYPTION_KEY!, config.DATA_ENCRYPTION_KEYS_OLD);
  const store = new RedisStore(redis, config.REDIS_PREFIX, cipher);
  const content = loadContent();
  const recipients = new RedisRecipients(redis, keys);
  // The channels' senders render the family's messages; the inbox is never started (it only lets the
  // channels be built as the server builds them).
  const inbox = new Inbox({ redis, keys, cipher, hashSecret: config.HASH_SECRET, log });
  const channels: Channel[] = [];
  for (const m of requestedChannels(config)) {
    if (m.missing(config).length) continue;
    channels.push(m.create({ settings: config, inbox, recipients, log, redis, keys }));
  }
  if (!channels.length && tellsFamily) process.stderr.write('hotline: no channel is configured here: the family\'s status message waits in Redis and the running server sends it\n');
  const outbox = new RedisOutbox({
    redis,
    keys,
    channels,
    render: (lang, reply) => content.renderer.reply(lang, reply),
    cipher,
    recipients,
    log,
    maxAgeMs: config.OUTBOX_MAX_AGE_HOURS * 3600_000,
  });
  // Refers and closes made here count on the staff dashboard as those made in the console.
  const metrics = new Metrics({ redis, keys, hashSecret: config.HASH_SECRET!, log });
  const hotline = new HotlineService({
    store: store.cases,
    hashSecret: config.HASH_SECRET!,
    outbox,
    partners: content.data.partners,
    claimMs: config.HOTLINE_CLAIM_MINUTES * 60_000,
    log,
    metrics,
    // Duplicate reports are indexed as cases open; linked ones share what their families see.
    duplicates: new DuplicateIndex(redis, config.REDIS_PREFIX, config.HASH_SECRET!),
    regions: content.data.regions,
    indicators: content.data.indicators,
    safety: safetySwitch(recipients, store.sessions),
  });
  const close = async () => {
    // Status messages this run left are handed to the outbox now where it can (the server would too).
    if (channels.length) await hotline.deliverPushes().catch(() => 0);
    await metrics.close();
    redis.disconnect();
  };
  return { redis, hotline, tokens: new StaffTokens(redis, config.REDIS_PREFIX), config, close };
}

/** Runs one command; resolves with the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand('hotline', USAGE, argv, {
    as: { type: 'string' },
    json: { type: 'boolean' },
    stage: { type: 'string' },
    open: { type: 'boolean' },
    queued: { type: 'boolean' },
    urgent: { type: 'boolean' },
    mine: { type: 'boolean' },
    limit: { type: 'string' },
    family: { type: 'boolean' },
    name: { type: 'string' },
    role: { type: 'string' },
    chat: { type: 'string' },
    group: { type: 'string' },
    once: { type: 'boolean' },
  } as const);
  if (typeof parsed === 'number') return parsed;
  const { o, p, command } = parsed;
  let opened: Opened | null = null;
  try {
    const config = loadConfig(env);
    const staff: Staff = { name: checkStaffName(o.as ?? env.HOTLINE_STAFF ?? userInfo().username), role: 'admin' };
    const limit = o.limit === undefined ? undefined : Number(o.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 10_000)) throw new UsageError(`--limit must be a whole number from 1 to 10000 (got "${o.limit}")`);
    const known = ['list', 'show', 'claim', 'note', 'refer', 'stage', 'close', 'audit', 'partners', 'token', 'revoke', 'staff', 'purge', 'reseal', 'watch'];
    if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);
    opened = await open(config, ['note', 'refer', 'stage', 'close'].includes(command));
    const { hotline, tokens } = opened;
    const changed = (c: StaffCase | null) => {
      if (o.json) say(JSON.stringify({ case: c }));
      else say(c ? `${summaryLine(c)}` : 'the queue is empty');
    };
    switch (command) {
      case 'list': {
        if (o.stage !== undefined && !(STAGES as readonly string[]).includes(o.stage)) throw new Invalid('stage', `--stage must be one of ${STAGES.join(', ')} (got "${o.stage}")`);
        const filter: CaseFilter = {
          ...(o.stage ? { stage: o.stage as Stage } : {}),
          ...(o.open ? { open: true } : {}),
          ...(o.queued ? { queued: true } : {}),
          ...(o.urgent ? { urgent: true } : {}),
          ...(o.mine ? { claimedBy: staff.name } : {}),
          ...(limit ? { limit } : {}),
        };
        const cases = await hotline.list(staff, filter);
        if (o.json) say(JSON.stringify({ cases }));
        else if (!cases.length) say('no case');
        else for (const c of cases) say(summaryLine(c));
        break;
      }
      case 'show': {
        const r = await hotline.show(staff, caseId(p[1]));
        if (o.json) say(JSON.stringify(r));
        else showCase(r.case, r.events);
        break;
      }
      case 'claim':
        changed(await hotline.claim(staff, p[1] === undefined ? undefined : caseId(p[1])));
        break;
      case 'note': {
        const id = caseId(p[1]);
        const text = p.slice(2).join(' ');
        if (!text.trim()) throw new UsageError('the note\'s TEXT is needed (quote it)');
        changed(await hotline.note(staff, id, text, o.family ?? false));
        break;
      }
      case 'refer':
        changed(await hotline.refer(staff, caseId(p[1]), positional(p, 2, 'PARTNER (see: partners)')));
        break;
      case 'stage':
        changed(await hotline.stage(staff, caseId(p[1]), positional(p, 2, 'STAGE')));
        break;
      case 'close':
        changed(await hotline.close(staff, caseId(p[1]), positional(p, 2, 'OUTCOME')));
        break;
      case 'safety': {
        if (positional(p, 2, 'on') !== 'on') throw new Error('safety ID on (only the person switches it off, in the chat)');
        changed(await hotline.setSafety(staff, caseId(p[1]), true));
        break;
      }
      case 'audit': {
        const entries = await hotline.auditOf(staff, p[1] === undefined ? null : caseId(p[1]), limit);
        if (o.json) say(JSON.stringify({ entries }));
        else for (const e of entries) say(`${iso(e.at)}  ${e.by} (${e.role})  ${e.action}${e.case ? `  ${e.case}` : ''}${e.detail ? `  ${e.detail}` : ''}`);
        break;
      }
      case 'partners': {
        const partners = [...hotline.partners.values()];
        if (o.json) say(JSON.stringify({ partners: partners.map((x) => ({ id: x.id, kind: x.kind, country: x.country, name: partnerLabel(x, 'en') })) }));
        else for (const x of partners) say(`${x.id.padEnd(28)} ${x.kind.padEnd(12)} ${x.country}  ${partnerLabel(x, 'en')}`);
        break;
      }
      case 'token': {
        if (!o.name) throw new UsageError('--name NAME is needed');
        if (!o.role) throw new UsageError('--role agent|campaign|admin is needed');
        const token = await tokens.create(o.name, o.role, o.chat);
        await hotline.store.audit({ at: Date.now(), by: staff.name, role: staff.role, action: 'token', case: null, detail: `${o.name} ${o.role}` });
        if (o.json) say(JSON.stringify({ name: o.name, role: o.role, token }));
        else {
          say(token);
          process.stderr.write(`hotline: a new token for ${o.name} (${o.role}); it is shown only now, and their old one no longer works\n`);
        }
        break;
      }
      case 'revoke': {
        if (!o.name) throw new UsageError('--name NAME is needed');
        const had = await tokens.revoke(o.name);
        await hotline.store.audit({ at: Date.now(), by: staff.name, role: staff.role, action: 'revoke', case: null, detail: o.name });
        if (o.json) say(JSON.stringify({ name: o.name, revoked: had }));
        else say(had ? `${o.name}: token revoked` : `${o.name} had no token`);
        break;
      }
      case 'staff': {
        const all = await tokens.list();
        if (o.json) say(JSON.stringify({ staff: all }));
        else for (const s of all) say(`${s.name.padEnd(20)} ${s.role.padEnd(8)} since ${iso(s.createdAt)}`);
        break;
      }
      case 'purge': {
        const n = await hotline.purgeClosed(opened.config.CASE_RETENTION_DAYS);
        await hotline.store.audit({ at: Date.now(), by: staff.name, role: staff.role, action: 'purge', case: null, detail: `${n} cases, retention ${opened.config.CASE_RETENTION_DAYS} days` });
        if (o.json) say(JSON.stringify({ purged: n }));
        else say(`${n} closed case(s) lost their personal fields (closed more than ${opened.config.CASE_RETENTION_DAYS} days ago)`);
        break;
      }
      case 'watch': {
        // Each new case is printed once per group (several people may watch under one group), and
        // acknowledged only once printed: a watcher stopped in between gets it again.
        const group = o.group ?? 'staff-watch';
        let stop = false;
        const halt = () => (stop = true);
        process.once('SIGINT', halt);
        process.once('SIGTERM', halt);
        do {
          const got = await hotline.store.watch(group, staff.name, o.once ? 1000 : 5000);
          for (const e of got) say(o.json ? JSON.stringify({ id: e.id, urgent: e.urgent }) : `${iso(Date.now())} new case ${e.id}${e.urgent ? ' URGENT' : ''}`);
          await hotline.store.watched(group, got.map((e) => e.entry));
        } while (!stop && !o.once);
        break;
      }
      case 'reseal': {
        const n = await hotline.reseal(staff);
        if (o.json) say(JSON.stringify({ resealed: n }));
        else say(`${n} case(s) sealed again with the current DATA_ENCRYPTION_KEY`);
        break;
      }
    }
    return 0;
  } catch (e) {
    let message: string;
    if (e instanceof Invalid || e instanceof BadStaff) message = `${e.field}: ${e.message}`;
    else if (e instanceof NotFound || e instanceof Forbidden || e instanceof ConfigError) message = e.message;
    else if (e instanceof Conflict) message = `refused: ${e.message}`;
    else if (e instanceof UsageError) message = `${e.message}\n${USAGE}`;
    else message = (e as Error).message ?? String(e);
    process.stderr.write(`hotline: ${message}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
