// What staff (through the API and the CLI) and families (through the chat's effects) do with cases:
// every read of personal data and every change is audited; a change the family should know of (the
// stage, a note staff chose to share) goes to them through the outbox, on the channel they used.
import { createHmac } from 'node:crypto';
import type { Lang, Say } from '../engine/types.js';
import { silentLogger, type Logger } from '../log.js';
import type { Deliverer } from '../outbox/outbox.js';
import { normaliseSecret, type CaseFilter, type CaseStore, type Changed, type Mutation } from './cases.js';
import type { Partner } from './partners.js';
import { STAGES, type AuditEntry, type Case, type CaseEvent, type CaseSummary, type OpenCase, type Stage } from './types.js';

export const ROLES = ['agent', 'campaign', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A member of staff as the API and the CLI know them. */
export interface Staff {
  name: string;
  role: Role;
}

/** Who may work cases: hotline agents and admins. Campaign staff may not read them. */
const CASE_ROLES: readonly Role[] = ['agent', 'admin'];

export class Forbidden extends Error {}
export class Invalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
export class NotFound extends Error {}
export class Conflict extends Error {}

/** How long a claim lasts when nobody acts on the case. */
export const DEFAULT_CLAIM_MS = 30 * 60_000;
export const DEFAULT_RETENTION_DAYS = 365;
/** The longest note or addition, in characters. */
export const MAX_NOTE = 4000;

export interface HotlineOptions {
  store: CaseStore;
  /** Keys the references of chats and the hashes of secrets (config HASH_SECRET). */
  hashSecret: string;
  /** Where the family's status messages go (the server; the CLI with the same settings). */
  outbox?: Deliverer;
  partners?: ReadonlyMap<string, Partner>;
  claimMs?: number;
  log?: Logger;
  now?: () => number;
}

export class HotlineService {
  readonly store: CaseStore;
  private readonly secret: string;
  private readonly outbox?: Deliverer;
  readonly partners: ReadonlyMap<string, Partner>;
  private readonly claimMs: number;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(opts: HotlineOptions) {
    this.store = opts.store;
    this.secret = opts.hashSecret;
    this.outbox = opts.outbox;
    this.partners = opts.partners ?? new Map();
    this.claimMs = opts.claimMs ?? DEFAULT_CLAIM_MS;
    this.log = opts.log ?? silentLogger;
    this.now = opts.now ?? Date.now;
  }

  private hmac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url').slice(0, 22);
  }

  /** A chat as its cases know it: a keyed reference, never the chat id. */
  ownerRef(channel: string, userId: string): string {
    return this.hmac(`owner:${channel}:${userId}`);
  }

  secretRef(id: string, secret: string): string {
    return this.hmac(`secret:${id}:${normaliseSecret(secret)}`);
  }

  // --- families (the chat) ---------------------------------------------------------------------

  /** Opens a case; the same `onceKey` (one message) opens it once. */
  open(c: OpenCase, onceKey: string) {
    return this.store.open(c, { onceKey, ownerRef: this.ownerRef(c.reporter.channel, c.reporter.userId), secretRef: (id, s) => this.secretRef(id, s), now: this.now() });
  }

  /** The chat's own cases, newest first. */
  mine(channel: string, userId: string): Promise<Case[]> {
    return this.store.byOwner(this.ownerRef(channel, userId));
  }

  /** A case seen from another chat: only with its number and its secret. */
  async lookup(id: string, secret: string): Promise<Case | null> {
    if (!(await this.store.secretMatches(id, this.secretRef(id, secret)))) return null;
    return this.store.get(id);
  }

  /** The family adds to an open case of their own. */
  async add(id: string, channel: string, userId: string, text: string, onceKey: string): Promise<Changed> {
    const owner = this.ownerRef(channel, userId);
    const mine = (await this.store.byOwner(owner)).some((c) => c.id === id);
    if (!mine) return { ok: false, reason: 'not_found' };
    const now = this.now();
    return this.store.update(id, now, (c) => {
      if (c.stage === 'closed') return { refused: 'closed' };
      if (!c.details) return { refused: 'purged' };
      const additions = c.details.additions ?? [];
      // The same message adds once (handled twice after a crash).
      if (additions.some((a) => a.key === onceKey)) return { case: c, event: null };
      c.details = { ...c.details, additions: [...additions, { at: now, text: text.slice(0, MAX_NOTE), key: onceKey }] };
      return { case: c, event: { type: 'added', at: now, by: 'family' } };
    });
  }

  /**
   * The reporter asked Waspada to forget them: their personal fields leave each of their cases (the
   * missing person's stay: staff still need them), with the reason recorded, and the link from their
   * chat to the cases is dropped.
   */
  async forgetReporter(channel: string, userId: string): Promise<number> {
    const owner = this.ownerRef(channel, userId);
    const cases = await this.store.byOwner(owner);
    const now = this.now();
    for (const c of cases) {
      const r = await this.store.update(c.id, now, (x) => {
        x.reporter = null;
        x.erased = [...x.erased, { at: now, reason: 'reporter_forgotten' }];
        return { case: x, event: { type: 'erased', at: now, by: 'family', detail: { reason: 'reporter_forgotten' } }, audit: { by: 'family', role: 'family', action: 'erase', detail: 'reporter_forgotten' } };
      });
      if (!r.ok) throw new Error(`could not erase the reporter of a case: ${r.reason}`);
    }
    await this.store.dropOwner(owner);
    return cases.length;
  }

  // --- staff --------------------------------------------------------------------------------

  private may(staff: Staff, roles: readonly Role[] = CASE_ROLES): void {
    if (!roles.includes(staff.role)) throw new Forbidden(`role ${staff.role} may not do this`);
  }

  private audit(staff: Staff, action: string, id: string | null, detail?: string): Promise<void> {
    const entry: AuditEntry = { at: this.now(), by: staff.name, role: staff.role, action, case: id, ...(detail ? { detail } : {}) };
    return this.store.audit(entry);
  }

  async list(staff: Staff, filter: CaseFilter = {}): Promise<CaseSummary[]> {
    this.may(staff);
    await this.store.returnExpired(this.now());
    await this.audit(staff, 'list', null, JSON.stringify(filter));
    return this.store.list(filter);
  }

  /** One case, decrypted, with its history: audited before it is read. */
  async show(staff: Staff, id: string): Promise<{ case: Case; events: CaseEvent[] }> {
    this.may(staff);
    await this.store.returnExpired(this.now());
    await this.audit(staff, 'read', id);
    const c = await this.store.get(id);
    if (!c) throw new NotFound(`no case ${id}`);
    return { case: c, events: await this.store.events(id) };
  }

  /** Claims a case by number, or the first of the queue (urgent first). */
  async claim(staff: Staff, id?: string): Promise<Case | null> {
    this.may(staff);
    const now = this.now();
    if (!id) return this.store.claimNext(staff.name, now, this.claimMs);
    await this.store.returnExpired(now);
    return this.change(staff, id, 'claim', undefined, (c) => {
      if (c.claimedBy && c.claimedBy !== staff.name) return { refused: `held by ${c.claimedBy}` };
      c.claimedBy = staff.name;
      c.claimUntil = now + this.claimMs;
      return { case: c, event: { type: 'claimed', at: now, by: staff.name } };
    }, false);
  }

  async note(staff: Staff, id: string, text: string, family: boolean): Promise<Case> {
    this.may(staff);
    const clean = text.trim();
    if (!clean) throw new Invalid('text', 'a note needs text');
    if (clean.length > MAX_NOTE) throw new Invalid('text', `a note is at most ${MAX_NOTE} characters`);
    const now = this.now();
    const c = await this.change(staff, id, 'note', family ? 'family' : 'internal', (x) => {
      x.notes = [...x.notes, { at: now, by: staff.name, text: clean, family }];
      return { case: x, event: { type: 'noted', at: now, by: staff.name, detail: { family } } };
    });
    if (family) await this.tell(c, [{ key: 'hotline.push.note', vars: { id: c.id, note: clean } }], `note:${c.version}`);
    return c;
  }

  async refer(staff: Staff, id: string, partnerId: string): Promise<Case> {
    this.may(staff);
    const partner = this.partners.get(partnerId);
    if (!partner) throw new Invalid('partner', `unknown partner "${partnerId}" (see data/partners.yaml)`);
    const now = this.now();
    const c = await this.change(staff, id, 'refer', partnerId, (x) => {
      if (!x.consentShare) return { refused: 'the reporter did not agree to share the case with partners' };
      x.partner = partnerId;
      x.stage = 'referred';
      return { case: x, event: { type: 'referred', at: now, by: staff.name, detail: { partner: partnerId, kind: partner.kind } } };
    });
    await this.tell(c, [{ key: 'hotline.push.stage', vars: { id: c.id } }, { key: 'hotline.stage.referred' }, { key: `hotline.partner_kind.${partner.kind}` }], `stage:${c.version}`);
    return c;
  }

  async stage(staff: Staff, id: string, stage: string): Promise<Case> {
    this.may(staff);
    if (!(STAGES as readonly string[]).includes(stage) || stage === 'closed') {
      throw new Invalid('stage', `stage must be one of ${STAGES.filter((s) => s !== 'closed').join(', ')} (close a case with close)`);
    }
    const now = this.now();
    const c = await this.change(staff, id, 'stage', stage, (x) => {
      if (x.stage === stage) return { refused: `already ${stage}` };
      x.stage = stage as Stage;
      return { case: x, event: { type: 'stage', at: now, by: staff.name, detail: { stage } } };
    });
    await this.tell(c, [{ key: 'hotline.push.stage', vars: { id: c.id } }, { key: `hotline.stage.${stage}` }], `stage:${c.version}`);
    return c;
  }

  async close(staff: Staff, id: string, outcome: string): Promise<Case> {
    this.may(staff);
    const clean = outcome.trim();
    if (!/^[a-z][a-z0-9_]{1,40}$/.test(clean)) throw new Invalid('outcome', 'outcome is a short word such as found, returned_home, referred_elsewhere, no_contact, duplicate');
    const now = this.now();
    const c = await this.change(staff, id, 'close', clean, (x) => {
      x.stage = 'closed';
      x.outcome = clean;
      x.closedAt = now;
      return { case: x, event: { type: 'closed', at: now, by: staff.name, detail: { outcome: clean } } };
    });
    await this.tell(c, [{ key: 'hotline.push.stage', vars: { id: c.id } }, { key: 'hotline.stage.closed' }], `stage:${c.version}`);
    return c;
  }

  async auditOf(staff: Staff, id: string | null, limit?: number): Promise<AuditEntry[]> {
    this.may(staff, ['admin']);
    await this.audit(staff, 'audit', id);
    return this.store.auditOf(id, limit);
  }

  /**
   * One change by a member of staff: refused on a closed case; acting on a case takes it (their claim
   * no longer runs out). Audited in the same write.
   */
  private async change(staff: Staff, id: string, action: string, detail: string | undefined, mutate: (c: Case) => Mutation, acts = true): Promise<Case> {
    const r = await this.store.update(id, this.now(), (c) => {
      if (c.stage === 'closed') return { refused: 'the case is closed' };
      const m = mutate(c);
      if ('refused' in m) return m;
      if (acts) {
        m.case.claimedBy = staff.name;
        m.case.claimUntil = null;
      }
      return { ...m, audit: { by: staff.name, role: staff.role, action, ...(detail ? { detail } : {}) } };
    });
    if (!r.ok) {
      if (r.reason === 'not_found') throw new NotFound(`no case ${id}`);
      throw new Conflict(r.reason);
    }
    return r.case;
  }

  /** Tells the family (through the outbox, once per change); a family that cannot be reached asks instead. */
  private async tell(c: Case, say: Say[], change: string): Promise<void> {
    if (!c.reporter || !this.outbox) return;
    const to = { channel: c.reporter.channel, user: c.reporter.userId };
    try {
      await this.outbox.deliver(to, [{ lang: c.lang as Lang, reply: { say } }], { key: this.hmac(`push:${c.id}:${change}`), priority: 'reply' });
      await this.store.update(c.id, this.now(), (x) => ({ case: x, event: { type: 'shown', at: this.now(), by: 'system', detail: { change } } }));
    } catch (e) {
      this.log.warn({ case: c.id, channel: c.reporter.channel, err: (e as Error).message }, 'status message not queued; the family sees it when they ask');
    }
  }

  /**
   * After a key rotation: every case is sealed again with the current key (cases live up to the
   * retention period, far longer than old keys are kept). Nothing else changes, not even the time of
   * the last change. Returns how many cases were sealed again.
   */
  async reseal(staff: Staff): Promise<number> {
    this.may(staff, ['admin']);
    const all = await this.store.list({ limit: Number.MAX_SAFE_INTEGER });
    for (const c of all) {
      const r = await this.store.update(c.id, c.updatedAt, (x) => ({ case: { ...x, updatedAt: c.updatedAt }, event: null }));
      if (!r.ok) throw new Error(`could not seal case ${c.id} again: ${r.reason}`);
    }
    await this.audit(staff, 'reseal', null, `${all.length} cases`);
    return all.length;
  }

  // --- retention ------------------------------------------------------------------------------

  /** Closed cases older than the retention lose their personal fields; the removal is recorded. */
  async purgeClosed(retentionDays = DEFAULT_RETENTION_DAYS): Promise<number> {
    const now = this.now();
    const ids = await this.store.closedBefore(now - retentionDays * 86_400_000);
    for (const id of ids) {
      await this.store.update(id, now, (x) => {
        x.details = null;
        x.reporter = null;
        x.notes = [];
        x.erased = [...x.erased, { at: now, reason: 'retention' }];
        return { case: x, event: { type: 'purged', at: now, by: 'system', detail: { days: retentionDays } }, audit: { by: 'system', role: 'system', action: 'purge', detail: `retention ${retentionDays} days` } };
      });
    }
    return ids.length;
  }
}
