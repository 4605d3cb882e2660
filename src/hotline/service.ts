// What staff (through the API and the CLI) and families (through the chat's effects) do with cases:
// every read of personal data and every change is audited; a change the family should know of (the
// stage, a note staff chose to share) goes to them through the outbox, on the channel they used.
import { createHmac } from 'node:crypto';
import { silentLogger, type Logger } from '../log.js';
import type { Deliverer } from '../outbox/outbox.js';
import type { MetricsRecorder } from '../staff/metrics.js';
import { normaliseSecret, type CaseFilter, type CaseStore, type Changed, type Mutation } from './cases.js';
import type { ZonedPlace } from '../content/data.js';
import type { DuplicateIndex } from './duplicates.js';
import type { Indicators } from './indicators.js';
import type { Partner } from './partners.js';
import { STAGES, type AuditEntry, type Case, type CaseEvent, type CaseSummary, type OpenCase, type Stage } from './types.js';

export const ROLES = ['agent', 'campaign', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A member of staff as the API and the CLI know them. */
export interface Staff {
  name: string;
  role: Role;
  /** Their own chat ("<channel>:<user id>"), where campaign test sends may go; none unless an admin registered it. */
  chat?: string;
}

/** Who may work cases: hotline agents and admins. Campaign staff may not read them. */
const CASE_ROLES: readonly Role[] = ['agent', 'admin'];

/**
 * A case as staff see it: the reporting chat as a keyed reference (the same for every case of that
 * chat), never the platform's id: staff reach the family through Waspada, not directly.
 */
export type StaffCase = Omit<Case, 'reporter'> & { reporter: { channel: string; chat: string; contact: string | null } | null };

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
  /** This process sends on every channel there is (the server): a status message for a channel none sends on is dropped. */
  pushesFinal?: boolean;
  /** The staff dashboard's counters: cases opened, referred, closed. */
  metrics?: MetricsRecorder;
  /** The identification interview's checklist (data/indicators.yaml). */
  indicators?: Indicators;
  /** Duplicate reports: indexed when a case opens; linked cases share family-visible changes. */
  duplicates?: DuplicateIndex;
  /** Indonesia's provinces (data/regions.yaml): a home province's KP2MI office is suggested. */
  regions?: readonly ZonedPlace[];
  /** Switches safety mode for a chat (the outbox's registry and the person's conversation): see setSafety. */
  safety?: SafetySwitch;
  log?: Logger;
  now?: () => number;
}

/** Safety mode for one chat, where senders and the conversation look (built by the server from its parts). */
export interface SafetySwitch {
  set(channel: string, userId: string, on: boolean): Promise<void>;
}

export class HotlineService {
  readonly store: CaseStore;
  private readonly secret: string;
  private readonly outbox?: Deliverer;
  readonly partners: ReadonlyMap<string, Partner>;
  private readonly claimMs: number;
  private readonly pushesFinal: boolean;
  private readonly metrics?: MetricsRecorder;
  readonly indicators?: Indicators;
  readonly duplicates?: DuplicateIndex;
  readonly regions: readonly ZonedPlace[];
  private readonly safety?: SafetySwitch;
  readonly log: Logger;
  private readonly now: () => number;

  constructor(opts: HotlineOptions) {
    this.store = opts.store;
    this.secret = opts.hashSecret;
    this.outbox = opts.outbox;
    this.partners = opts.partners ?? new Map();
    this.claimMs = opts.claimMs ?? DEFAULT_CLAIM_MS;
    this.pushesFinal = opts.pushesFinal ?? false;
    this.metrics = opts.metrics;
    this.indicators = opts.indicators;
    this.duplicates = opts.duplicates;
    this.regions = opts.regions ?? [];
    this.safety = opts.safety;
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

  /** Opens a case; the same `onceKey` opens it once (for two days). */
  async open(c: OpenCase, onceKey: string) {
    const now = this.now();
    const opened = await this.store.open(c, { onceKey, ownerRef: this.ownerRef(c.reporter.channel, c.reporter.userId), secretRef: (id, s) => this.secretRef(id, s), now });
    if (opened.created) this.metrics?.caseOpened(c.kind, c.urgent, now);
    // Never in the family's way: a case not indexed is only not found as a duplicate.
    if (opened.created) await this.duplicates?.add(opened.id, c.details).catch((e: Error) => this.log.warn({ case: opened.id, err: e.message }, 'case not indexed for duplicate reports'));
    return opened;
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
    if (!(await this.store.owns(this.ownerRef(channel, userId), id))) return { ok: false, reason: 'not_found' };
    const now = this.now();
    const r = await this.store.update(id, now, (c) => {
      if (c.stage === 'closed') return { refused: 'closed' };
      if (!c.details) return { refused: 'purged' };
      const additions = c.details.additions ?? [];
      // The same message adds once (handled twice after a crash).
      if (additions.some((a) => a.key === onceKey)) return { case: c, event: null };
      c.details = { ...c.details, additions: [...additions, { at: now, text: text.slice(0, MAX_NOTE), key: onceKey }] };
      return { case: c, event: { type: 'added', at: now, by: 'family' }, audit: { by: 'family', role: 'family', action: 'add' } };
    });
    // A passport number the family adds finds other reports of the same person too.
    if (r.ok) await this.duplicates?.add(id, { additions: [{ at: now, text }] }).catch((e: Error) => this.log.warn({ case: id, err: e.message }, 'addition not indexed for duplicate reports'));
    return r;
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
        // What they added later is theirs too (new numbers, addresses).
        if (x.details?.additions?.length) x.details = { ...x.details, additions: [] };
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
  async show(staff: Staff, id: string): Promise<{ case: StaffCase; events: CaseEvent[] }> {
    this.may(staff);
    await this.store.returnExpired(this.now());
    await this.audit(staff, 'read', id);
    const c = await this.store.get(id);
    if (!c) throw new NotFound(`no case ${id}`);
    return { case: this.staffView(c), events: await this.store.events(id) };
  }

  /** Claims a case by number, or the first of the queue (urgent first). */
  async claim(staff: Staff, id?: string): Promise<StaffCase | null> {
    this.may(staff);
    const now = this.now();
    if (!id) {
      const next = await this.store.claimNext(staff.name, now, this.claimMs, staff.role);
      return next && this.staffView(next);
    }
    await this.store.returnExpired(now);
    return this.change(staff, id, 'claim', undefined, (c) => {
      // Already theirs and worked on: it stays theirs (a new deadline would send it back to the queue).
      if (c.claimedBy === staff.name && c.claimUntil === null) return { case: c, event: null };
      // Held by someone else (and not run out): not even an admin claims it from under them.
      if (c.claimedBy && c.claimedBy !== staff.name && (c.claimUntil === null || c.claimUntil > now)) return { refused: `held by ${c.claimedBy}` };
      c.claimedBy = staff.name;
      c.claimUntil = now + this.claimMs;
      return { case: c, event: { type: 'claimed', at: now, by: staff.name } };
    }, false);
  }

  async note(staff: Staff, id: string, text: string, family: boolean): Promise<StaffCase> {
    this.may(staff);
    const clean = text.trim();
    if (!clean) throw new Invalid('text', 'a note needs text');
    if (clean.length > MAX_NOTE) throw new Invalid('text', `a note is at most ${MAX_NOTE} characters`);
    const now = this.now();
    // `from`: the case it was written on, when it reaches a linked case.
    const noted = (x: Case, from?: string): Mutation => {
      x.notes = [...x.notes, { at: now, by: staff.name, text: clean, family }];
      const push = family ? [{ key: 'hotline.push.note', vars: { id: x.id, note: clean } }] : undefined;
      return { case: x, event: { type: 'noted', at: now, by: staff.name, detail: { family, ...(from ? { from } : {}) } }, push };
    };
    const c = await this.change(staff, id, 'note', family ? 'family' : 'internal', (x) => noted(x));
    if (family) await this.shareWithLinked(staff, id, 'note', (x) => noted(x, id));
    return c;
  }

  async refer(staff: Staff, id: string, partnerId: string): Promise<StaffCase> {
    this.may(staff);
    const partner = this.partners.get(partnerId);
    if (!partner) throw new Invalid('partner', `unknown partner "${partnerId}" (see data/partners.yaml)`);
    const now = this.now();
    const referred = (x: Case, from?: string): Mutation => {
      if (!x.consentShare) return { refused: 'the reporter did not agree to share the case with partners' };
      x.partner = partnerId;
      x.stage = 'referred';
      const push = [{ key: 'hotline.push.stage', vars: { id: x.id } }, { key: 'hotline.stage.referred' }, { key: `hotline.partner_kind.${partner.kind}` }];
      return { case: x, event: { type: 'referred', at: now, by: staff.name, detail: { partner: partnerId, kind: partner.kind, ...(from ? { from } : {}) } }, push };
    };
    const c = await this.change(staff, id, 'refer', partnerId, (x) => referred(x));
    this.metrics?.caseReferred(now);
    await this.shareWithLinked(staff, id, 'refer', (x) => referred(x, id));
    return c;
  }

  async stage(staff: Staff, id: string, stage: string): Promise<StaffCase> {
    this.may(staff);
    if (!(STAGES as readonly string[]).includes(stage) || stage === 'closed') {
      throw new Invalid('stage', `stage must be one of ${STAGES.filter((s) => s !== 'closed').join(', ')} (close a case with close)`);
    }
    const now = this.now();
    const staged = (x: Case, from?: string): Mutation => {
      if (x.stage === stage) return { refused: `already ${stage}` };
      x.stage = stage as Stage;
      const push = [{ key: 'hotline.push.stage', vars: { id: x.id } }, { key: `hotline.stage.${stage}` }];
      return { case: x, event: { type: 'stage', at: now, by: staff.name, detail: { stage, ...(from ? { from } : {}) } }, push };
    };
    const c = await this.change(staff, id, 'stage', stage, (x) => staged(x));
    await this.shareWithLinked(staff, id, 'stage', (x) => staged(x, id));
    return c;
  }

  async close(staff: Staff, id: string, outcome: string): Promise<StaffCase> {
    this.may(staff);
    const clean = outcome.trim();
    if (!/^[a-z][a-z0-9_]{1,40}$/.test(clean)) throw new Invalid('outcome', 'outcome is a short word such as found, returned_home, referred_elsewhere, no_contact, duplicate');
    const now = this.now();
    const c = await this.change(staff, id, 'close', clean, (x) => {
      x.stage = 'closed';
      x.outcome = clean;
      x.closedAt = now;
      const push = [{ key: 'hotline.push.stage', vars: { id: x.id } }, { key: 'hotline.stage.closed' }];
      return { case: x, event: { type: 'closed', at: now, by: staff.name, detail: { outcome: clean } }, push };
    });
    this.metrics?.caseClosed(clean, now);
    return c;
  }

  /**
   * Safety mode for the reporter of a case (agents and admins; a closed case too: its family may still
   * write): nothing is sent to their chat unasked from now on (status messages, notes, campaigns) and
   * their next message is handled in safety mode. Only on: switching it off is the person's own choice,
   * in the chat ("mode aman"), where they see it is on (staff cannot know the phone is safe again). The
   * chat is switched first, then the case records it (audited): a failure in between leaves the safer
   * state, and a second call completes it. 409 when the reporter asked to be forgotten (no chat is known).
   */
  async setSafety(staff: Staff, id: string, on: boolean): Promise<StaffCase> {
    this.may(staff);
    if (!on) throw new Conflict('only the person can switch safety mode off, in the chat ("mode aman")');
    if (!this.safety) throw new Invalid('safety', 'safety mode cannot be switched here');
    const c = await this.store.get(id);
    if (!c) throw new NotFound(`no case ${id}`);
    if (!c.reporter) throw new Conflict('the reporter asked Waspada to forget them: no chat to protect');
    await this.safety.set(c.reporter.channel, c.reporter.userId, true);
    const at = this.now();
    const r = await this.store.update(id, at, (x) => ({
      case: { ...x, safety: true },
      event: { type: 'safety', at, by: staff.name, detail: { on: true } },
      audit: { by: staff.name, role: staff.role, action: 'safety', detail: 'on' },
    }));
    if (!r.ok) {
      if (r.reason === 'not_found') throw new NotFound(`no case ${id}`);
      throw new Conflict(r.reason);
    }
    return this.staffView(r.case);
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
  /** The reporting chat as a keyed reference: see StaffCase. */
  staffView(c: Case): StaffCase {
    const r = c.reporter;
    return { ...c, reporter: r && { channel: r.channel, chat: this.hmac(`chat:${r.channel}:${r.userId}`).slice(0, 10), contact: r.contact } };
  }

  async change(staff: Staff, id: string, action: string, detail: string | undefined, mutate: (c: Case) => Mutation, acts = true): Promise<StaffCase> {
    const r = await this.store.update(id, this.now(), (c) => {
      if (c.stage === 'closed') return { refused: 'the case is closed' };
      // A case someone else holds is theirs to work (an admin may take it over).
      const held = c.claimedBy !== null && c.claimedBy !== staff.name && (c.claimUntil === null || c.claimUntil > this.now());
      if (held && staff.role !== 'admin') return { refused: `held by ${c.claimedBy}` };
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
    // A status message for the family went into Redis with the change: hand it to the outbox now
    // (the server's upkeep does it too, so none waits long if this fails or this process stops).
    this.deliverPushes().catch((e: Error) => this.log.warn({ err: e.message }, 'status messages not handed to the outbox yet; retried'));
    return this.staffView(r.case);
  }

  /**
   * A family-visible change made on a case reaches the families of the cases linked with it (duplicate
   * reports of one person), each on its own case and through the outbox as the first one's: audited
   * on each case, whoever holds it; a closed linked case is left as it is.
   */
  private async shareWithLinked(staff: Staff, id: string, action: string, mutate: (c: Case) => Mutation): Promise<void> {
    const linked = (await this.duplicates?.linked(id)) ?? [];
    if (!linked.length) return;
    for (const other of linked) {
      const r = await this.store.update(other, this.now(), (c) => {
        if (c.stage === 'closed') return { refused: 'the case is closed' };
        const m = mutate(c);
        return 'refused' in m ? m : { ...m, audit: { by: staff.name, role: staff.role, action, detail: `linked from ${id}` } };
      });
      if (!r.ok) this.log.info({ case: other, from: id, reason: r.reason }, 'change not shared with a linked case');
    }
    this.deliverPushes().catch((e: Error) => this.log.warn({ err: e.message }, 'status messages not handed to the outbox yet; retried'));
  }

  private delivering: Promise<number> | null = null;
  /** A run asked for while one was under way (it may not have seen the newest messages). */
  private again: Promise<number> | null = null;

  /**
   * Hands the status messages waiting in Redis to the outbox (each once: its key is the case and the
   * version the change made), then removes them and records on the case that the family was told.
   * A message for a channel this process does not send on waits for a process that does; with
   * `finalFor` (the server) one for a channel no process sends on (the terminal chat) is dropped: that
   * family sees the status when they ask.
   */
  deliverPushes(): Promise<number> {
    if (!this.outbox) return Promise.resolve(0);
    if (!this.delivering) {
      this.delivering = this.deliverNow().finally(() => (this.delivering = null));
      return this.delivering;
    }
    this.again ??= this.delivering.catch(() => 0).then(() => {
      this.again = null;
      return this.deliverPushes();
    });
    return this.again;
  }

  private async deliverNow(): Promise<number> {
    let n = 0;
    for (const { token, push } of await this.store.pushes()) {
      const to = { channel: push.channel, user: push.user };
      /** What became of it: handed to the outbox, or not sent (and why), for the case's history. */
      let sent: string;
      if (this.outbox!.serves && !this.outbox!.serves(push.channel)) {
        if (!this.pushesFinal) continue;
        this.log.info({ case: push.case, channel: push.channel }, 'status message for a channel that cannot send first; the family sees it when they ask');
        sent = 'no_channel';
      } else {
        sent = await this.outbox!.deliver(to, [{ lang: push.lang, reply: { say: push.say } }], { key: this.hmac(`push:${push.case}:${push.version}`), priority: 'reply' });
      }
      await this.store.pushed(token);
      const at = this.now();
      // 'withheld': the reporter is in safety mode; 'gone': they blocked the bot. They see it when they ask.
      const detail: Record<string, string | number> = { version: push.version };
      if (sent !== 'queued' && sent !== 'duplicate') detail.not_sent = sent;
      await this.store.update(push.case, at, (x) => ({ case: x, event: { type: 'shown', at, by: 'system', detail } }));
      n++;
    }
    return n;
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
    let purged = 0;
    for (const id of ids) {
      const r = await this.store.update(id, now, (x) => {
        x.details = null;
        x.reporter = null;
        x.notes = [];
        x.identification = null;
        x.erased = [...x.erased, { at: now, reason: 'retention' }];
        return { case: x, event: { type: 'purged', at: now, by: 'system', detail: { days: retentionDays } }, audit: { by: 'system', role: 'system', action: 'purge', detail: `retention ${retentionDays} days` } };
      });
      if (r.ok) {
        purged++;
        await this.duplicates?.remove(id);
      } else this.log.warn({ case: id, reason: r.reason }, 'closed case not purged yet; tried again at the next upkeep');
    }
    return purged;
  }
}
