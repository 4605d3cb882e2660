// The hotline's cases in Redis (production, tests) and in memory (the demo); one contract suite
// (test/hotline/cases.contract.ts) runs against both.
//
// Redis layout (every key under the prefix shares the hash tag {hotline}: one slot, so each change is
// one atomic script on Redis Cluster too):
//   case:<ID>      hash: plain fields (stage, kind, times, who holds it) and `p`, the sealed personal
//                  part ({details, reporter, notes}); `s` the keyed hash of the family's secret, `o`
//                  the keyed reference of the reporting chat; `v` the version (compare-and-set).
//   events:<ID>    list of the case's history (JSON, never personal).
//   audit / audit:<ID>  append-only streams: every read of personal data and every change, by whom.
//   new            stream of new cases (id, urgent): what a watcher (the console, `hotline watch`)
//                  reads through its consumer group.
//   queue          sorted set of open, unclaimed cases: urgent ones first, then oldest first.
//   claims         sorted set of claimed cases not yet acted on, by when the claim runs out: then
//                  they return to the queue.
//   closed         sorted set of closed cases by closing time (retention of personal fields).
//   all            sorted set of every case by opening time (listing).
//   owner:<ref>    set of the cases a chat opened (by a keyed reference, never the chat id).
//   pushes         sealed status messages for families, written in the same script as the change
//                  that caused them; the server hands them to the outbox, then removes them.
//   once:<key>     the case a message opened (its id and sealed secret), so a message handled twice
//                  opens one case.
import { randomInt } from 'node:crypto';
import { duplicateConnection, type RedisClient } from '../store/connection.js';
import type { DataCipher } from '../store/cipher.js';
import { keyspace } from '../store/keys.js';
import type { Lang, Say } from '../engine/types.js';
import type { AuditEntry, Case, CaseDetails, CaseEvent, CaseNote, CaseSummary, OpenCase, Reporter, Stage } from './types.js';
import { STAGES, storedStage } from './types.js';

/** Letters and digits that are not mistaken for each other (Crockford's base 32: no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const pick = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A case number: WSP- and six random characters (about a billion), grouped 4-2. */
export function newCaseId(): string {
  return `WSP-${pick(4)}-${pick(2)}`;
}

/** The secret given with a case number: another chat sees the case only with both. */
export function newCaseSecret(): string {
  return pick(6);
}

/** A case number as people type it: any case, spaces or dashes, O for 0 and I/L for 1. */
export function normaliseCaseId(typed: string): string | null {
  const raw = typed.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const m = /^WSP([0-9A-HJKMNP-TV-Z]{4})([0-9A-HJKMNP-TV-Z]{2})$/.exec(raw);
  return m ? `WSP-${m[1]}-${m[2]}` : null;
}

/**
 * A case number within a longer answer: the confirmation pasted whole ("Nomor kasus: WSP-0V3F-48
 * Kode rahasia: 77Q3TQ …"), or said in a sentence.
 */
export function findCaseId(text: string): string | null {
  const whole = normaliseCaseId(text);
  if (whole) return whole;
  const m = /W\s*S\s*P[\s-]*([0-9A-Z]{4})[\s-]*([0-9A-Z]{2})(?![0-9A-Z])/i.exec(text);
  return m ? normaliseCaseId(`WSP${m[1]}${m[2]}`) : null;
}

/**
 * The secret within a longer answer: after its label ("Kode rahasia: 77Q3TQ", "secret code 77Q3TQ", the
 * confirmation pasted whole), or the one six-character word the answer has; else the answer itself.
 */
const NOT_A_CODE = new Set(['secret', 'adalah', 'simpan', 'number', 'kodeku', 'yaitu', 'please']);
export function findSecret(text: string): string {
  const labelled = /\b(?:kode rahasia|kode|secret code|secret|code|sandi)\s*[:=]?\s*([0-9a-z]{6})(?![0-9a-z])/i.exec(text);
  if (labelled) return normaliseSecret(labelled[1]!);
  // (six-letter words that are no code: "the secret is 77Q3TQ", "kodenya adalah 77Q3TQ")
  const words = (text.match(/(?<![0-9a-z])[0-9a-z]{6}(?![0-9a-z])/gi) ?? []).filter((w) => !NOT_A_CODE.has(w.toLowerCase()));
  return normaliseSecret(words.length === 1 && normaliseSecret(text).length !== 6 ? words[0]! : text);
}

export function normaliseSecret(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Every stage with no case in it. */
const noCases = () => Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
/** Cases whose stage stages() reads in one pipeline. */
const STAGE_PAGE = 1000;

/** Urgent cases first, then the oldest. */
export function queueScore(urgent: boolean, openedAt: number): number {
  return (urgent ? 0 : 1) * 1e13 + openedAt;
}

export interface OpenOptions {
  /** Idempotency key of the message that opens it: the same key opens one case. */
  onceKey: string;
  /** Keyed reference of the reporting chat ("my cases"). */
  ownerRef: string;
  /** Keyed hash of a case's secret. */
  secretRef(id: string, secret: string): string;
  now: number;
}

export interface Opened {
  id: string;
  secret: string;
  /** False when the message had opened it before (the same case, shown again). */
  created: boolean;
}

/**
 * A change to one case: the new case, the event to record, the audit entry, and a status message for
 * the family (kept with the change, in the same write: see Push), or a reason to refuse it.
 */
export type Mutation = { case: Case; event: CaseEvent | null; audit?: Omit<AuditEntry, 'at' | 'case'>; push?: Say[] } | { refused: string };

/** A status message for a family, waiting for the outbox. Sealed at rest (it names the chat). */
export interface Push {
  case: string;
  /** The case's version the change made: with the case, the message's idempotency key. */
  version: number;
  channel: string;
  user: string;
  lang: Lang;
  say: Say[];
}

export type Changed = { ok: true; case: Case } | { ok: false; reason: string };

export interface CaseFilter {
  stage?: Stage;
  /** Only cases not closed (true) or only closed ones (false). */
  open?: boolean;
  urgent?: boolean;
  claimedBy?: string;
  /** Only cases waiting in the queue (open, unclaimed). */
  queued?: boolean;
  limit?: number;
}

export interface CaseStore {
  open(c: OpenCase, opts: OpenOptions): Promise<Opened>;
  get(id: string): Promise<Case | null>;
  list(filter?: CaseFilter): Promise<CaseSummary[]>;
  /** How many cases are in each stage now, closed ones included (the metrics: src/ops/prometheus.ts). */
  stages(): Promise<Record<Stage, number>>;
  /** The cases a chat opened (by its keyed reference), newest first. */
  byOwner(ownerRef: string): Promise<Case[]>;
  /** Whether the chat (by its keyed reference) opened this case. */
  owns(ownerRef: string, id: string): Promise<boolean>;
  /** Whether the secret's keyed hash is the case's. */
  secretMatches(id: string, secretRef: string): Promise<boolean>;
  /** Changes one case: read, mutate, write if nobody changed it meanwhile (else read again). */
  update(id: string, now: number, mutate: (c: Case) => Mutation): Promise<Changed>;
  /** Takes the first case of the queue (urgent first) for `staff`, until `now + holdMs`. */
  claimNext(staff: string, now: number, holdMs: number, role?: string): Promise<Case | null>;
  /** Returns to the queue the cases whose claim ran out; how many. */
  returnExpired(now: number): Promise<number>;
  events(id: string): Promise<CaseEvent[]>;
  /** Appends to the audit log (and the case's own, when it names one). */
  audit(entry: AuditEntry): Promise<void>;
  /** The audit log of a case, or the whole log (most recent `limit`). */
  auditOf(id: string | null, limit?: number): Promise<AuditEntry[]>;
  /** Forgets the chat's link to its cases (after the reporter's personal fields were removed). */
  dropOwner(ownerRef: string): Promise<void>;
  /** Closed cases closed before `before`, whose personal fields are still there. */
  closedBefore(before: number, limit?: number): Promise<string[]>;
  /**
   * New cases for a watcher (consumer group `group`): first those given to `consumer` and not yet
   * acknowledged, then new ones (waiting up to blockMs). Acknowledge each with watched().
   */
  watch(group: string, consumer: string, blockMs: number): Promise<{ entry: string; id: string; urgent: boolean }[]>;
  watched(group: string, entries: string[]): Promise<void>;
  /** Status messages waiting for the outbox (oldest first), each with the token that removes it. */
  pushes(limit?: number): Promise<{ token: string; push: Push }[]>;
  pushed(token: string): Promise<void>;
}

/** The personal part of a case, sealed as one record. */
interface Personal {
  details: CaseDetails | null;
  reporter: Reporter | null;
  notes: CaseNote[];
  identification?: Case['identification'];
}

const ATTEMPTS = 20;

/** The index changes a case's new state implies (queue, claims, closed). */
function indexOps(c: Case): { queue: string; claims: string; closed: string } {
  const closed = c.stage === 'closed';
  return {
    queue: !closed && c.claimedBy === null ? String(queueScore(c.urgent, c.openedAt)) : '-',
    claims: !closed && c.claimedBy !== null && c.claimUntil !== null ? String(c.claimUntil) : '-',
    closed: closed && (c.details !== null || c.reporter !== null || c.notes.length > 0) ? String(c.closedAt ?? c.updatedAt) : '-',
  };
}

// --- Redis -------------------------------------------------------------------------------------

/**
 * open: KEYS[1] case, KEYS[2] events, KEYS[3] queue, KEYS[4] all, KEYS[5] owner set, KEYS[6] once,
 * KEYS[7] new-cases stream, KEYS[8] audit, KEYS[9] case audit;
 * ARGV[1] id, ARGV[2] once value, ARGV[3] once ttl s, ARGV[4] event JSON, ARGV[5] queue score,
 * ARGV[6] opened at, ARGV[7] urgent (0/1), then the case's fields as pairs.
 * Returns {1} when opened, {0, once value} when this message opened one before, {2} when the id is taken.
 */
const OPEN = `
local seen = redis.call('GET', KEYS[6])
if seen then return {0, seen} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {2} end
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('SET', KEYS[6], ARGV[2], 'EX', ARGV[3])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', 100000, '*', 'id', ARGV[1], 'u', ARGV[7])
redis.call('XADD', KEYS[8], 'MAXLEN', '~', 1000000, '*', 'at', ARGV[6], 'by', 'family', 'role', 'family', 'action', 'open', 'case', ARGV[1])
redis.call('XADD', KEYS[9], '*', 'at', ARGV[6], 'by', 'family', 'role', 'family', 'action', 'open', 'case', ARGV[1])
return {1}`;

/**
 * write: KEYS[1] case, KEYS[2] events, KEYS[3] queue, KEYS[4] claims, KEYS[5] closed, KEYS[6] audit,
 * KEYS[7] case audit, KEYS[8] pushes; ARGV[1] the version read, ARGV[2] id, ARGV[3] event JSON ('' none),
 * ARGV[4] queue score ('-' out), ARGV[5] claim deadline ('-' out), ARGV[6] closed at ('-' out),
 * ARGV[7] a sealed status message for the family ('' none), ARGV[8] how many field pairs, the pairs,
 * then the audit entry's pairs (none: no audit). Returns 0 when the case changed since it was read
 * (or is gone), else 1.
 */
const WRITE = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[8])
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, unpack(ARGV, 9, 8 + 2 * n))
if ARGV[7] ~= '' then redis.call('RPUSH', KEYS[8], ARGV[7]) end
local function set(key, score)
  if score == '-' then redis.call('ZREM', key, ARGV[2]) else redis.call('ZADD', key, score, ARGV[2]) end
end
set(KEYS[3], ARGV[4])
set(KEYS[4], ARGV[5])
set(KEYS[5], ARGV[6])
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end
if #ARGV > 8 + 2 * n then
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', 1000000, '*', unpack(ARGV, 9 + 2 * n))
  redis.call('XADD', KEYS[7], '*', unpack(ARGV, 9 + 2 * n))
end
return 1`;

/**
 * claimNext: KEYS[1] queue, KEYS[2] claims; ARGV[1] key base, ARGV[2] staff, ARGV[3] now, ARGV[4] until,
 * ARGV[5] their role. Takes the first queued case: returns its id, or false. (The case's own keys are
 * built from the base, as src/store/keys.ts builds them: they share the queue's hash tag.)
 */
const CLAIM_NEXT = `
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return false end
local id = first[1]
local ck = ARGV[1] .. 'case:' .. id
redis.call('ZREM', KEYS[1], id)
redis.call('ZADD', KEYS[2], ARGV[4], id)
redis.call('HSET', ck, 'cb', ARGV[2], 'cu', ARGV[4], 'up', ARGV[3], 'v', tonumber(redis.call('HGET', ck, 'v') or '0') + 1)
redis.call('RPUSH', ARGV[1] .. 'events:' .. id, cjson.encode({type = 'claimed', at = tonumber(ARGV[3]), by = ARGV[2]}))
local entry = {'at', ARGV[3], 'by', ARGV[2], 'role', ARGV[5], 'action', 'claim', 'case', id}
redis.call('XADD', ARGV[1] .. 'audit', 'MAXLEN', '~', 1000000, '*', unpack(entry))
redis.call('XADD', ARGV[1] .. 'audit:' .. id, '*', unpack(entry))
return id`;

/**
 * returnExpired: KEYS[1] queue, KEYS[2] claims; ARGV[1] key base, ARGV[2] now.
 * Claims that ran out (nobody acted on the case): back to the queue. Returns how many.
 */
const RETURN_EXPIRED = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, 200)
for _, id in ipairs(ids) do
  local ck = ARGV[1] .. 'case:' .. id
  redis.call('ZREM', KEYS[2], id)
  local q = redis.call('HGET', ck, 'q')
  if q and redis.call('HGET', ck, 'st') ~= 'closed' then
    local by = redis.call('HGET', ck, 'cb') or ''
    redis.call('HSET', ck, 'cb', '', 'cu', '', 'up', ARGV[2], 'v', tonumber(redis.call('HGET', ck, 'v') or '0') + 1)
    redis.call('ZADD', KEYS[1], q, id)
    redis.call('RPUSH', ARGV[1] .. 'events:' .. id, cjson.encode({type = 'returned', at = tonumber(ARGV[2]), by = 'system', detail = {from = by}}))
    local entry = {'at', ARGV[2], 'by', 'system', 'role', 'system', 'action', 'return', 'case', id, 'detail', by}
    redis.call('XADD', ARGV[1] .. 'audit', 'MAXLEN', '~', 1000000, '*', unpack(entry))
    redis.call('XADD', ARGV[1] .. 'audit:' .. id, '*', unpack(entry))
  end
end
return #ids`;

type Scripts = {
  hotlineOpen(...args: (string | number)[]): Promise<[number, string?]>;
  hotlineWrite(...args: (string | number)[]): Promise<number>;
  hotlineClaimNext(queue: string, claims: string, base: string, staff: string, now: number, until: number, role: string): Promise<string | null>;
  hotlineReturnExpired(queue: string, claims: string, base: string, now: number): Promise<number>;
};

/** The fields of a case as stored in its hash (the sealed part and the version aside). */
function plainFields(c: Case): (string | number)[] {
  return [
    'k', c.kind, 'u', c.urgent ? 1 : 0, 'st', c.stage, 'lang', c.lang, 'ch', c.channel, 'at', c.openedAt, 'up', c.updatedAt,
    'cb', c.claimedBy ?? '', 'cu', c.claimUntil ?? '', 'pt', c.partner ?? '', 'oc', c.outcome ?? '', 'cl', c.closedAt ?? '',
    'cs', c.consentShare ? 1 : 0, 'er', JSON.stringify(c.erased), 'q', queueScore(c.urgent, c.openedAt),
    // Safety mode set by staff (HotlineService.setSafety): only ever on.
    'sf', c.safety ? 1 : 0,
  ];
}

const num = (s: string | undefined) => (s ? Number(s) : null);
const str = (s: string | undefined) => (s ? s : null);

export class RedisCaseStore implements CaseStore {
  private readonly r: RedisClient & Scripts;
  private readonly keys: ReturnType<typeof keyspace>['hotline'];
  readonly base: string;

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly cipher: DataCipher,
    /** How long a message's case is remembered (a platform re-delivers within two days). */
    private readonly onceTtlS = 48 * 3600,
  ) {
    redis.defineCommand('hotlineOpen', { numberOfKeys: 9, lua: OPEN });
    redis.defineCommand('hotlineWrite', { numberOfKeys: 8, lua: WRITE });
    redis.defineCommand('hotlineClaimNext', { numberOfKeys: 2, lua: CLAIM_NEXT });
    redis.defineCommand('hotlineReturnExpired', { numberOfKeys: 2, lua: RETURN_EXPIRED });
    this.r = redis as RedisClient & Scripts;
    this.keys = keyspace(prefix).hotline;
    this.base = this.keys.base;
  }

  private seal(p: Personal): string {
    return this.cipher.seal(JSON.stringify(p));
  }

  async open(c: OpenCase, opts: OpenOptions): Promise<Opened> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const id = newCaseId();
      const secret = newCaseSecret();
      const created: Case = {
        id, kind: c.kind, urgent: c.urgent, stage: 'received', lang: c.lang, channel: c.reporter.channel, openedAt: opts.now, updatedAt: opts.now,
        claimedBy: null, claimUntil: null, partner: null, outcome: null, closedAt: null, consentShare: c.consentShare,
        details: c.details, reporter: c.reporter, notes: [], erased: [], version: 1,
      };
      const event: CaseEvent = { type: 'opened', at: opts.now, by: 'family', detail: { kind: c.kind, urgent: c.urgent } };
      const res = await this.r.hotlineOpen(
        this.keys.case(id), this.keys.events(id), this.keys.queue, this.keys.all, this.keys.owner(opts.ownerRef), this.keys.once(opts.onceKey),
        this.keys.fresh, this.keys.audit, this.keys.caseAudit(id),
        id, `${id}|${this.cipher.seal(secret)}`, this.onceTtlS, JSON.stringify(event), queueScore(c.urgent, opts.now), opts.now, c.urgent ? 1 : 0,
        'v', 1, ...plainFields(created), 'p', this.seal({ details: c.details, reporter: c.reporter, notes: [] }), 's', opts.secretRef(id, secret), 'o', opts.ownerRef,
      );
      if (res[0] === 1) return { id, secret, created: true };
      if (res[0] === 0) {
        const [before, sealed] = String(res[1]).split('|');
        return { id: before!, secret: this.cipher.open(sealed!), created: false };
      }
      // The number is taken (about one chance in a billion per case): draw another.
    }
    throw new Error('could not draw a free case number');
  }

  private fromHash(id: string, h: Record<string, string>): Case | null {
    if (!h.v) return null;
    const p: Personal = h.p ? (JSON.parse(this.cipher.open(h.p)) as Personal) : { details: null, reporter: null, notes: [] };
    return {
      id, kind: h.k as Case['kind'], urgent: h.u === '1', stage: storedStage(h.st!), lang: h.lang as Case['lang'], channel: h.ch!,
      openedAt: Number(h.at), updatedAt: Number(h.up), claimedBy: str(h.cb), claimUntil: num(h.cu), partner: str(h.pt), outcome: str(h.oc),
      closedAt: num(h.cl), consentShare: h.cs === '1', details: p.details, reporter: p.reporter, notes: p.notes ?? [], ...(p.identification ? { identification: p.identification } : {}),
      erased: h.er ? (JSON.parse(h.er) as Case['erased']) : [], version: Number(h.v), ...(h.sf === '1' ? { safety: true } : {}),
    };
  }

  async get(id: string): Promise<Case | null> {
    return this.fromHash(id, await this.r.hgetall(this.keys.case(id)));
  }

  async list(filter: CaseFilter = {}): Promise<CaseSummary[]> {
    const limit = filter.limit ?? 100;
    const ids = filter.queued ? await this.r.zrange(this.keys.queue, 0, -1) : await this.r.zrevrange(this.keys.all, 0, -1);
    const out: CaseSummary[] = [];
    const fields = ['v', 'k', 'u', 'st', 'lang', 'ch', 'at', 'up', 'cb', 'cu', 'pt', 'oc', 'cl', 'cs', 'er'] as const;
    // In pages, so a long history is not read at once.
    for (let i = 0; i < ids.length && out.length < limit; i += 200) {
      const page = ids.slice(i, i + 200);
      const rows = await Promise.all(page.map((id) => this.r.hmget(this.keys.case(id), ...fields)));
      page.forEach((id, j) => {
        const row = rows[j]!;
        const h = Object.fromEntries(fields.map((f, x) => [f, row[x] ?? ''])) as Record<string, string>;
        if (!h.v) return;
        const c = this.fromHash(id, { ...h, p: '' })!;
        if (!matches(c, filter) || out.length >= limit) return;
        const { details: _d, reporter: _r, notes: _n, identification: _i, ...rest } = c;
        out.push(rest);
      });
    }
    return out;
  }

  /** One field (the stage) of every case, a thousand to a pipeline: as many reads as cases, for a caller that keeps the answer a while. */
  async stages(): Promise<Record<Stage, number>> {
    const ids = await this.r.zrange(this.keys.all, 0, -1);
    const counts = noCases();
    for (let i = 0; i < ids.length; i += STAGE_PAGE) {
      const p = this.r.pipeline();
      for (const id of ids.slice(i, i + STAGE_PAGE)) p.hget(this.keys.case(id), 'st');
      for (const [e, st] of (await p.exec()) ?? []) {
        if (e) throw e;
        const stage = typeof st === 'string' ? storedStage(st) : null;
        if (stage && stage in counts) counts[stage]++;
      }
    }
    return counts;
  }

  async byOwner(ownerRef: string): Promise<Case[]> {
    const ids = await this.r.smembers(this.keys.owner(ownerRef));
    const cases = (await Promise.all(ids.map((id) => this.get(id)))).filter((c): c is Case => c !== null);
    return cases.sort((a, b) => b.openedAt - a.openedAt);
  }

  async owns(ownerRef: string, id: string): Promise<boolean> {
    return (await this.r.sismember(this.keys.owner(ownerRef), id)) === 1;
  }

  async secretMatches(id: string, secretRef: string): Promise<boolean> {
    const s = await this.r.hget(this.keys.case(id), 's');
    return s !== null && s === secretRef;
  }

  async update(id: string, now: number, mutate: (c: Case) => Mutation): Promise<Changed> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      const m = mutate(structuredClone(current));
      if ('refused' in m) return { ok: false, reason: m.refused };
      const next = { ...m.case, updatedAt: now };
      const ops = indexOps(next);
      const fields = [...plainFields(next), 'p', this.seal({ details: next.details, reporter: next.reporter, notes: next.notes, identification: next.identification ?? null })];
      // Without a reporter the chat is no longer linked to the case.
      if (!next.reporter) fields.push('o', '');
      const push = m.push && next.reporter ? this.cipher.seal(JSON.stringify(pushOf(next, current.version + 1, m.push))) : '';
      const audit = m.audit ? auditFields({ at: now, ...m.audit, case: id }) : [];
      const ok = await this.r.hotlineWrite(
        this.keys.case(id), this.keys.events(id), this.keys.queue, this.keys.claims, this.keys.closed, this.keys.audit, this.keys.caseAudit(id), this.keys.pushes,
        current.version, id, m.event ? JSON.stringify(m.event) : '', ops.queue, ops.claims, ops.closed, push, fields.length / 2, ...fields, ...audit,
      );
      if (ok === 1) return { ok: true, case: { ...next, version: current.version + 1 } };
    }
    return { ok: false, reason: 'busy' };
  }

  async claimNext(staff: string, now: number, holdMs: number, role = 'agent'): Promise<Case | null> {
    await this.returnExpired(now);
    const id = await this.r.hotlineClaimNext(this.keys.queue, this.keys.claims, this.base, staff, now, now + holdMs, role);
    return id ? this.get(id) : null;
  }

  async returnExpired(now: number): Promise<number> {
    return this.r.hotlineReturnExpired(this.keys.queue, this.keys.claims, this.base, now);
  }

  async events(id: string): Promise<CaseEvent[]> {
    return (await this.r.lrange(this.keys.events(id), 0, -1)).map((e) => JSON.parse(e) as CaseEvent);
  }

  async audit(entry: AuditEntry): Promise<void> {
    const fields = auditFields(entry);
    const m = this.r.multi().xadd(this.keys.audit, 'MAXLEN', '~', 1000000, '*', ...fields);
    if (entry.case) m.xadd(this.keys.caseAudit(entry.case), '*', ...fields);
    const res = await m.exec();
    const failed = res?.find(([e]) => e);
    if (!res || failed) throw failed?.[0] ?? new Error('audit not written');
  }

  async auditOf(id: string | null, limit = 1000): Promise<AuditEntry[]> {
    const rows = await this.r.xrevrange((id ? this.keys.caseAudit(id) : this.keys.audit), '+', '-', 'COUNT', limit);
    return rows.reverse().map(([, f]) => {
      const h = fieldsOf(f);
      return { at: Number(h.at), by: h.by!, role: h.role!, action: h.action!, case: h.case || null, ...(h.detail ? { detail: h.detail } : {}) };
    });
  }

  async dropOwner(ownerRef: string): Promise<void> {
    await this.r.del(this.keys.owner(ownerRef));
  }

  async closedBefore(before: number, limit = 500): Promise<string[]> {
    return this.r.zrangebyscore(this.keys.closed, '-inf', before, 'LIMIT', 0, limit);
  }

  async pushes(limit = 100): Promise<{ token: string; push: Push }[]> {
    const raw = await this.r.lrange(this.keys.pushes, 0, limit - 1);
    return raw.map((token) => ({ token, push: JSON.parse(this.cipher.open(token)) as Push }));
  }

  async pushed(token: string): Promise<void> {
    await this.r.lrem(this.keys.pushes, 1, token);
  }

  async watched(group: string, entries: string[]): Promise<void> {
    if (entries.length) await this.r.xack(this.keys.fresh, group, ...entries);
  }

  async watch(group: string, consumer: string, blockMs: number): Promise<{ entry: string; id: string; urgent: boolean }[]> {
    const stream = this.keys.fresh;
    try {
      await this.r.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    } catch (e) {
      if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
    }
    // A blocking read holds its connection: it gets one of its own.
    const reader = duplicateConnection(this.r, { enableOfflineQueue: true });
    try {
      // First what this consumer was given and did not acknowledge (it stopped), then new ones.
      let res = (await reader.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'STREAMS', stream, '0')) as [string, [string, string[]][]][] | null;
      if (!res?.[0]?.[1].length) res = (await reader.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as typeof res;
      const entries = res?.[0]?.[1] ?? [];
      return entries.map(([entry, f]) => {
        const h = fieldsOf(f);
        return { entry, id: h.id!, urgent: h.u === '1' };
      });
    } finally {
      reader.disconnect();
    }
  }
}

/** An audit entry as a stream entry's fields (the scripts write the same names). */
function auditFields(e: AuditEntry): (string | number)[] {
  return ['at', e.at, 'by', e.by, 'role', e.role, 'action', e.action, 'case', e.case ?? '', ...(e.detail ? ['detail', e.detail] : [])];
}

/** A stream entry's fields by name: names at even places, values after them (a value is never taken for a name). */
function fieldsOf(f: string[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < f.length; i += 2) h[f[i]!] = f[i + 1]!;
  return h;
}

function pushOf(c: Case, version: number, say: Say[]): Push {
  return { case: c.id, version, channel: c.reporter!.channel, user: c.reporter!.userId, lang: c.lang, say };
}

function matches(c: Case, f: CaseFilter): boolean {
  if (f.stage && c.stage !== f.stage) return false;
  if (f.open !== undefined && (c.stage !== 'closed') !== f.open) return false;
  if (f.urgent !== undefined && c.urgent !== f.urgent) return false;
  if (f.claimedBy !== undefined && c.claimedBy !== f.claimedBy) return false;
  if (f.queued && (c.stage === 'closed' || c.claimedBy !== null)) return false;
  return true;
}

// --- Memory (the demo: nothing survives a restart) ------------------------------------------------

export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, { c: Case; secretRef: string; owner: string }>();
  private readonly history = new Map<string, CaseEvent[]>();
  private readonly once = new Map<string, { id: string; secret: string }>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly log: AuditEntry[] = [];
  private readonly fresh: { id: string; urgent: boolean }[] = [];
  private readonly groups = new Map<string, { next: number; unacked: Map<string, { id: string; urgent: boolean }> }>();
  private readonly waiting: { token: string; push: Push }[] = [];
  private pushSeq = 0;

  async open(c: OpenCase, opts: OpenOptions): Promise<Opened> {
    const seen = this.once.get(opts.onceKey);
    if (seen) return { ...seen, created: false };
    let id = newCaseId();
    while (this.cases.has(id)) id = newCaseId();
    const secret = newCaseSecret();
    const created: Case = {
      id, kind: c.kind, urgent: c.urgent, stage: 'received', lang: c.lang, channel: c.reporter.channel, openedAt: opts.now, updatedAt: opts.now,
      claimedBy: null, claimUntil: null, partner: null, outcome: null, closedAt: null, consentShare: c.consentShare,
      details: structuredClone(c.details), reporter: { ...c.reporter }, notes: [], erased: [], version: 1,
    };
    this.cases.set(id, { c: created, secretRef: opts.secretRef(id, secret), owner: opts.ownerRef });
    this.history.set(id, [{ type: 'opened', at: opts.now, by: 'family', detail: { kind: c.kind, urgent: c.urgent } }]);
    this.once.set(opts.onceKey, { id, secret });
    if (!this.owners.has(opts.ownerRef)) this.owners.set(opts.ownerRef, new Set());
    this.owners.get(opts.ownerRef)!.add(id);
    this.fresh.push({ id, urgent: c.urgent });
    this.log.push({ at: opts.now, by: 'family', role: 'family', action: 'open', case: id });
    return { id, secret, created: true };
  }

  async get(id: string): Promise<Case | null> {
    const got = this.cases.get(id);
    return got ? structuredClone(got.c) : null;
  }

  async list(filter: CaseFilter = {}): Promise<CaseSummary[]> {
    let all = [...this.cases.values()].map((x) => x.c);
    if (filter.queued) all = all.sort((a, b) => queueScore(a.urgent, a.openedAt) - queueScore(b.urgent, b.openedAt));
    else all = all.sort((a, b) => b.openedAt - a.openedAt);
    return all
      .filter((c) => matches(c, filter))
      .slice(0, filter.limit ?? 100)
      .map(({ details: _d, reporter: _r, notes: _n, identification: _i, ...rest }) => structuredClone(rest));
  }

  async stages(): Promise<Record<Stage, number>> {
    const counts = noCases();
    for (const { c } of this.cases.values()) counts[c.stage]++;
    return counts;
  }

  async byOwner(ownerRef: string): Promise<Case[]> {
    const ids = [...(this.owners.get(ownerRef) ?? [])];
    return (await Promise.all(ids.map((id) => this.get(id)))).filter((c): c is Case => c !== null).sort((a, b) => b.openedAt - a.openedAt);
  }

  async owns(ownerRef: string, id: string): Promise<boolean> {
    return this.owners.get(ownerRef)?.has(id) ?? false;
  }

  async secretMatches(id: string, secretRef: string): Promise<boolean> {
    return this.cases.get(id)?.secretRef === secretRef;
  }

  async update(id: string, now: number, mutate: (c: Case) => Mutation): Promise<Changed> {
    const got = this.cases.get(id);
    if (!got) return { ok: false, reason: 'not_found' };
    const m = mutate(structuredClone(got.c));
    if ('refused' in m) return { ok: false, reason: m.refused };
    got.c = { ...m.case, updatedAt: now, version: got.c.version + 1 };
    if (!got.c.reporter) got.owner = '';
    if (m.push && got.c.reporter) this.waiting.push({ token: String(++this.pushSeq), push: structuredClone(pushOf(got.c, got.c.version, m.push)) });
    if (m.event) this.history.get(id)!.push(m.event);
    if (m.audit) this.log.push({ at: now, ...m.audit, case: id });
    return { ok: true, case: structuredClone(got.c) };
  }

  async claimNext(staff: string, now: number, holdMs: number, role = 'agent'): Promise<Case | null> {
    await this.returnExpired(now);
    const [first] = await this.list({ queued: true, limit: 1 });
    if (!first) return null;
    const got = this.cases.get(first.id)!;
    got.c = { ...got.c, claimedBy: staff, claimUntil: now + holdMs, updatedAt: now, version: got.c.version + 1 };
    this.history.get(first.id)!.push({ type: 'claimed', at: now, by: staff });
    this.log.push({ at: now, by: staff, role, action: 'claim', case: first.id });
    return structuredClone(got.c);
  }

  async returnExpired(now: number): Promise<number> {
    let n = 0;
    for (const got of this.cases.values()) {
      const c = got.c;
      if (c.stage === 'closed' || c.claimUntil === null || c.claimUntil > now) continue;
      this.history.get(c.id)!.push({ type: 'returned', at: now, by: 'system', detail: { from: c.claimedBy } });
      this.log.push({ at: now, by: 'system', role: 'system', action: 'return', case: c.id, ...(c.claimedBy ? { detail: c.claimedBy } : {}) });
      got.c = { ...c, claimedBy: null, claimUntil: null, updatedAt: now, version: c.version + 1 };
      n++;
    }
    return n;
  }

  async events(id: string): Promise<CaseEvent[]> {
    return structuredClone(this.history.get(id) ?? []);
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.log.push({ ...entry });
  }

  async auditOf(id: string | null, limit = 1000): Promise<AuditEntry[]> {
    return this.log.filter((e) => id === null || e.case === id).slice(-limit);
  }

  async dropOwner(ownerRef: string): Promise<void> {
    this.owners.delete(ownerRef);
  }

  async closedBefore(before: number, limit = 500): Promise<string[]> {
    return [...this.cases.values()]
      .map((x) => x.c)
      .filter((c) => c.stage === 'closed' && (c.closedAt ?? 0) <= before && (c.details !== null || c.reporter !== null || c.notes.length > 0))
      .slice(0, limit)
      .map((c) => c.id);
  }

  async watch(group: string): Promise<{ entry: string; id: string; urgent: boolean }[]> {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { next: 0, unacked: new Map() }));
    if (!g.unacked.size) {
      this.fresh.slice(g.next).forEach((c, i) => g!.unacked.set(String(g!.next + i), c));
      g.next = this.fresh.length;
    }
    return [...g.unacked].map(([entry, c]) => ({ entry, ...c }));
  }

  async watched(group: string, entries: string[]): Promise<void> {
    for (const e of entries) this.groups.get(group)?.unacked.delete(e);
  }

  async pushes(limit = 100): Promise<{ token: string; push: Push }[]> {
    return structuredClone(this.waiting.slice(0, limit));
  }

  async pushed(token: string): Promise<void> {
    const i = this.waiting.findIndex((w) => w.token === token);
    if (i >= 0) this.waiting.splice(i, 1);
  }
}

export { STAGES };
