// Between the channels and the engine: drops re-deliveries, handles one user's messages one at a time,
// loads the session, runs the engine and its effects, hands the replies to the outbox, saves the session.
import { randomUUID } from 'node:crypto';
import type { AgencyLookups } from '../agencies/registry.js';
import { AGENCY_SAY_KEYS } from '../agencies/say.js';
import { looksLikeOffer } from '../checker/hint.js';
import type { Content } from '../content/index.js';
import type { Outbound } from '../content/render.js';
import { langFromHint, mightBeUrgent, readIntent } from '../engine/intents.js';
import { ENGINE_KEYS, step } from '../engine/step.js';
import { MEDIA_KINDS, newSession, type PictureFailure, type PictureOutcome, type Input, type Lang, type MediaKind, type Reply, type Session, type Vars } from '../engine/types.js';
import { silentLogger, userRef, type Logger } from '../log.js';
import { userKey, type UserKey } from '../store/keys.js';
import type { RecruiterRegistry } from '../store/recruiters.js';
import { LOCK_LEASE_MS, type BeginOptions, type Claim, type OverLimit, type SessionStore } from '../store/sessions.js';
import { isUnavailable } from '../store/store.js';
import type { Deliverer, OutboxItem } from '../outbox/outbox.js';
import type { Recipients } from '../outbox/recipients.js';
import type { HotlineService } from '../hotline/service.js';
import type { Subscribers } from '../broadcast/subscribers.js';
import type { MetricsRecorder } from '../staff/metrics.js';
import { EFFECT_KEYS, EFFECTS, type EffectContext, type EffectHandler, type EffectResult } from './effects/index.js';
import type { PictureReader } from '../ocr/index.js';
import { firstLines } from '../ocr/text.js';
import { PICTURE_MAX_BYTES, PictureProblem, type PictureSource } from './picture.js';
import { RecruiterHasher } from './recruiters.js';

/** What a message carried besides (or instead of) text; its caption, if any, comes as `text`. */
export { MEDIA_KINDS, type MediaKind };

/** One incoming message from any channel. */
export interface Inbound {
  channel: string;
  userId: string;
  /** Unique per channel; a message seen twice is answered once. */
  messageId: string;
  /** What the person wrote (or the caption of what they sent). */
  text?: string;
  /**
   * Something other than text: a photo or an image sent as a file (`image`), another file, a voice
   * note, a sticker, a location, a contact card, a video; `other` for kinds Waspada does not know.
   */
  media?: MediaKind;
  /** A pressed button: the choice id and the turn it was shown at. */
  choice?: { id: string; turn?: number };
  /** The platform's language for the user (the language code the platform's app is set to). */
  langHint?: string | null;
  /**
   * A picture (media `photo` or `image`) the channel can fetch: its text is read and checked as a job
   * offer, with the caption. Not JSON: built by the channel from its delivery each time it is handled.
   */
  picture?: PictureSource;
  /** The platform's id of the message in its chat, where it has one (safety mode deletes it on the exit word). */
  ref?: string;
}

export interface Handled {
  /**
   * The replies, rendered, for a service without an outbox (the terminal chat shows them itself).
   * With an outbox they were handed to it, and this is empty.
   */
  replies: Outbound[];
  /** The message was handled before; nothing was done. */
  duplicate: boolean;
  lang: Lang;
  /** False when the message could not be handled; the person is told so. */
  ok: boolean;
  /**
   * Redis (the store or the outbox) could not be reached: nothing was changed or sent, and the
   * message should be handled again once it is back.
   */
  unavailable: boolean;
  /**
   * The message should be handled again later: Redis was away, or the replies were queued but the
   * session could not be saved (the second run queues nothing twice).
   */
  retry: boolean;
  /**
   * The message was over the person's limit (handle's `count`): not handled. 'warn': the first one
   * over, for which they get one warning; 'silent': one after it, dropped.
   */
  over?: 'warn' | 'silent';
}

/**
 * How a message is taken (see BeginOptions): `count`, the person's limit it counts against (a message
 * straight from a webhook); `mark`, the keyed reference under which it is remembered as handled apart
 * from the session (its platform or the inbox may bring it again after the session was erased, or
 * many messages later).
 */
export type HandleOptions = BeginOptions;

/** Longest text taken from a message; longer text is cut (the checker notes it). */
export const MAX_TEXT = 20_000;
/** Longest a picture's download from its platform may take. */
const PICTURE_FETCH_MS = 20_000;
/** Most characters of a picture's text checked (a flyer holds far fewer; more is a page of something else). */
const MAX_PICTURE_TEXT = 8_000;

/** What reads pictures (src/ocr/ PictureReader): the text in one, or why not. */
export type PictureTextReader = Pick<PictureReader, 'read'>;
const MAX_EFFECT_ROUNDS = 8;
const LOCK_WAIT_MS = 10_000;

/** Texts this module shows. */
export const CONVERSATION_KEYS = ['conversation.try_again', 'conversation.delayed', 'conversation.flood', 'conversation.picture_reading', 'contacts.channel.*', 'contacts.hours', 'contacts.source', 'safe.*'] as const;

// C0 controls except tab and newline, DEL, and C1 controls: binary garbage, not text.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function cleanText(raw: string): string {
  let text = raw.toWellFormed().replace(/\r\n?/g, '\n').replace(CONTROL, '');
  if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT);
  return text;
}

export interface ServiceOptions {
  sessions: SessionStore;
  recruiters: RecruiterRegistry;
  content: Content;
  effects?: Readonly<Record<string, EffectHandler>>;
  /** The outbox's recipient registry: "delete my data" removes the person from it. */
  recipients?: Recipients;
  /** The hotline: reports open cases there, and families follow them. */
  hotline?: HotlineService;
  /** Alert subscriptions: people subscribe, stop and see theirs from the chat. Without: nobody is subscribed. */
  subscribers?: Subscribers;
  /** The imported list of licensed placement agencies: a verdict says whether the agency an offer names is on it. */
  agencies?: AgencyLookups;
  /** Key for the hashes of recruiter contacts and of people in the counts (config HASH_SECRET). */
  hashSecret?: string;
  /** Where replies go. Without one, `handle` returns them rendered (the terminal chat). */
  outbox?: Deliverer;
  /** Reads the text of pictures people send (src/ocr/). Without: a picture gets "paste the text". */
  pictures?: PictureTextReader;
  /** The staff dashboard's counters (src/staff/metrics.ts): messages, pictures, and what effects count. */
  metrics?: MetricsRecorder;
  now?: () => number;
  log?: Logger;
}

export class ConversationService {
  private readonly sessions: SessionStore;
  private readonly recruiters: RecruiterRegistry;
  private readonly recipients?: Recipients;
  private readonly hotline?: HotlineService;
  private readonly subscribers?: Subscribers;
  private readonly agencies?: AgencyLookups;
  private readonly content: Content;
  private readonly effects: Readonly<Record<string, EffectHandler>>;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly hasher: RecruiterHasher;
  private readonly outbox?: Deliverer;
  private readonly pictures?: PictureTextReader;
  private readonly metrics?: MetricsRecorder;
  /** Per-user chains: messages of one user in this process run one after another, in arrival order. */
  private readonly queues = new Map<UserKey, Promise<unknown>>();
  /** Locks this process could not release (Redis was down): freed before the user's next message. */
  private readonly orphans = new Map<UserKey, string>();

  constructor(opts: ServiceOptions) {
    this.sessions = opts.sessions;
    this.recruiters = opts.recruiters;
    this.recipients = opts.recipients;
    this.hotline = opts.hotline;
    this.subscribers = opts.subscribers;
    this.agencies = opts.agencies;
    this.content = opts.content;
    this.effects = opts.effects ?? EFFECTS;
    this.pictures = opts.pictures;
    this.metrics = opts.metrics;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? silentLogger;
    this.outbox = opts.outbox;
    const official = [...opts.content.data.contacts.values()].flatMap((c) => c.channels.map((ch) => ch.value));
    this.hasher = new RecruiterHasher(opts.hashSecret ?? DEMO_HASH_SECRET, official);
  }

  handle(inbound: Inbound, opts: HandleOptions = {}): Promise<Handled> {
    const user = userKey(inbound.channel, inbound.userId);
    if (this.pictures && inbound.picture && (inbound.media === 'photo' || inbound.media === 'image') && !(inbound.text && isPlea(inbound.text))) {
      // A picture is read before it joins the person's queue: reading takes seconds, and what they send
      // meanwhile (a plea) must not wait for it. A plea in the caption is not kept waiting either: such
      // a picture is handled at once, as one whose text could not be read.
      return this.readFirst(user, inbound, opts).then((pre) => pre.duplicate ?? this.inOrder(user, () => this.handleNow(user, inbound, pre, { mark: opts.mark })));
    }
    return this.inOrder(user, () => this.handleNow(user, inbound, undefined, opts));
  }

  /** Runs one message of a person after their earlier ones in this process, in arrival order. */
  private inOrder(user: UserKey, work: () => Promise<Handled>): Promise<Handled> {
    const prev = this.queues.get(user) ?? Promise.resolve();
    const run = prev.then(work);
    const tail = run.catch(() => undefined);
    this.queues.set(user, tail);
    void tail.then(() => {
      if (this.queues.get(user) === tail) this.queues.delete(user);
    });
    return run;
  }

  private async claim(user: UserKey, messageId: string, opts: BeginOptions = {}): Promise<Claim | OverLimit> {
    const orphan = this.orphans.get(user);
    if (orphan) {
      await this.sessions.release(user, orphan);
      this.orphans.delete(user);
    }
    const lease = randomUUID();
    const started = this.now();
    for (let attempt = 0; ; attempt++) {
      const claim = await this.sessions.begin(user, messageId, lease, LOCK_LEASE_MS, opts);
      if (claim && 'behind' in claim) throw new Behind('earlier messages wait in the inbox');
      if (claim) return claim;
      // Another process holds this user's lock: wait for it, briefly and with growing pauses.
      if (this.now() - started > LOCK_WAIT_MS) throw new LockBusy('user lock busy');
      await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 200)));
    }
  }

  /**
   * A picture's first part, outside the person's queue and lock: is the message new (a redelivery is
   * not read again), "reading your picture…" in their language, then the download and the reading.
   * A failure here (Redis away, the lock held elsewhere) is handed to handleNow, which deals with it
   * as with any other: the message is tried again.
   */
  private async readFirst(user: UserKey, inbound: Inbound, opts: HandleOptions): Promise<PictureFirst> {
    const at = this.now();
    let lang: Lang = langFromHint(inbound.langHint) ?? 'id';
    let lease: string | null = null;
    try {
      // Not counted: never over the limit.
      const first = (await this.claim(user, inbound.messageId, { mark: opts.mark })) as Claim;
      lease = first.lease;
      await this.sessions.release(user, first.lease);
      lease = null;
      lang = first.session?.lang ?? lang;
      if (first.seen) return { at, early: [], duplicate: { replies: [], duplicate: true, lang, ok: true, unavailable: false, retry: false } };
      // In safety mode this line is quiet too (and kept track of, to be cleared by the exit word).
      const quiet = Boolean(first.session?.safety || first.safetyAsked);
      let early: OutboxItem[] = [{ lang, reply: line('conversation.picture_reading', quiet) }];
      if (this.outbox) {
        const to = { channel: inbound.channel, user: inbound.userId };
        await this.outbox.deliver(to, early, { key: `${this.replyKey(inbound)}:reading`, priority: 'reply', inReplyTo: true });
        early = [];
      }
      return { at, early, picture: await this.readPicture(user, inbound.picture!) };
    } catch (error) {
      if (lease) {
        const held = lease;
        await this.sessions.release(user, held).catch(() => this.orphans.set(user, held));
      }
      return { at, early: [], error };
    }
  }

  private async handleNow(user: UserKey, inbound: Inbound, pre?: PictureFirst, opts: HandleOptions = {}): Promise<Handled> {
    const at = this.now();
    const to = { channel: inbound.channel, user: inbound.userId };
    let lang: Lang = langFromHint(inbound.langHint) ?? 'id';
    let lease: string | null = null;
    let running: string | undefined;
    /** Safety mode: a failure notice is quiet too. */
    let quiet = false;
    /** Said before the turn's own replies (the terminal, which has no outbox: "reading your picture…"). */
    const early = pre?.early ?? [];
    try {
      if (pre?.error) throw pre.error;
      const picture = pre?.picture;
      const claim = await this.claim(user, inbound.messageId, opts);
      if ('over' in claim) return { replies: [], duplicate: false, lang, ok: true, unavailable: false, retry: false, over: claim.over };
      lease = claim.lease;
      if (claim.seen) {
        await this.sessions.release(user, lease);
        return { replies: [], duplicate: true, lang: claim.session?.lang ?? lang, ok: true, unavailable: false, retry: false };
      }
      let session: Session = claim.session ?? newSession(at);
      // Staff asked for safety mode on this person's case: from this message on, it is on.
      if (claim.safetyAsked && !session.safety) session = { ...session, safety: true };
      quiet = session.safety === true;
      // A picture sent before the exit word closed the conversation is not answered after it (its
      // reading took longer than the person took to close the chat): it only counts as handled.
      if (pre && session.exitAt !== undefined && pre.at <= session.exitAt) {
        const saved = await this.save(to, user, lease, inbound, session, [], false);
        lease = null;
        if (!saved) throw new LeaseLost('lost the user lock before saving');
        return { replies: [], duplicate: false, lang: session.lang ?? lang, ok: true, unavailable: false, retry: false };
      }
      lang = session.lang ?? lang;
      const input = toInput(inbound, at, picture);
      const texts = this.content.texts;
      const ctx: EffectContext = {
        user,
        channel: inbound.channel,
        userId: inbound.userId,
        messageId: inbound.messageId,
        key: '',
        lang,
        sessions: this.sessions,
        recruiters: this.recruiters,
        recipients: this.recipients,
        hasher: this.hasher,
        hotline: this.hotline,
        subscribers: this.subscribers,
        agencies: this.agencies,
        metrics: this.metrics,
        places: this.content.data,
        at,
        log: this.log,
        t: (key, vars) => texts.t(ctx.lang, key, vars),
        erase: false,
      };
      let result = step(this.content.bundle, session, input);
      // Safety mode (before or after this message), or an urgent turn (a plea: safety mode may come on
      // next): its id is kept for 48 hours, so the exit word can delete it too.
      if (inbound.ref && this.recipients && (session.safety || result.session.safety || result.urgent)) await this.recipients.keepTrail(inbound.channel, inbound.userId, [inbound.ref]);
      const items: OutboxItem[] = [];
      let urgent = false;
      const collect = () => {
        const l = result.session.lang ?? lang;
        for (const reply of result.replies) items.push({ lang: l, reply });
        urgent ||= result.urgent;
      };
      collect();
      for (let round = 0; result.effects.length && round < MAX_EFFECT_ROUNDS; round++) {
        const effect = result.effects[0]!;
        ctx.lang = result.session.lang ?? lang;
        // The same message comes back to the same effect in the same round (the engine is pure and the
        // session was not saved): so the key repeats, and the effect's work is not done twice.
        ctx.key = this.hasher.hash(`effect:${user}:${inbound.messageId}:${effect.type}:${round}`);
        running = effect.type;
        const done = await this.perform(ctx, effect.type, effect.args);
        running = undefined;
        result = step(this.content.bundle, result.session, { kind: 'effect', effect: effect.type, at, ...done });
        collect();
      }
      session = result.session;
      lang = session.lang ?? lang;
      // "Delete my data": nothing of safety mode is kept either (its answer is not kept track of).
      if (ctx.erase) for (const i of items) delete i.reply.quiet;
      const saved = await this.save(to, user, lease, inbound, ctx.erase ? null : session, items, urgent);
      lease = null;
      if (!saved) throw new LeaseLost('lost the user lock before saving');
      this.metrics?.message(inbound.channel, user, at, inboundKind(inbound));
      return { replies: this.outbox ? [] : this.render([...early, ...items]), duplicate: false, lang, ok: true, unavailable: false, retry: false };
    } catch (err) {
      const unavailable = isUnavailable(err);
      // Worth another try later: Redis away, or the person's lock held too long by another process or
      // lost by this one (the next run saves the session and queues no reply twice).
      const retry = Boolean(this.outbox) && (unavailable || err instanceof LockBusy || err instanceof LeaseLost || err instanceof Stopping || err instanceof Behind);
      // Behind: not a failure, the message only joins the person's others in the inbox.
      this.log[err instanceof Behind ? 'debug' : 'error']({ err: (err as Error).message, user: userRef(user), channel: inbound.channel, effect: running, unavailable, retry }, 'message not handled');
      if (lease) {
        const held = lease;
        await this.sessions.release(user, held).catch(() => this.orphans.set(user, held));
      }
      const notice: OutboxItem[] = [{ lang, reply: line('conversation.try_again', quiet) }];
      if (!this.outbox) return { replies: this.render(notice), duplicate: false, lang, ok: false, unavailable, retry };
      if (!retry) {
        await this.outbox.deliver(to, notice, { key: `${this.replyKey(inbound)}:failed`, priority: 'urgent', inReplyTo: true }).catch((e: Error) => {
          this.log.error({ err: e.message, user: userRef(user) }, 'could not queue the failure notice');
        });
      }
      return { replies: [], duplicate: false, lang, ok: false, unavailable, retry };
    }
  }

  /**
   * Queues the turn's replies and saves the session. With a session store that can do both in one
   * script (one Redis), they happen together or not at all. Otherwise (on Redis Cluster the session's
   * keys and the outbox's are in different slots; in memory) the replies are queued first and the
   * session saved once they are: replies refused leave the session unsaved (the message is handled
   * again, or the person told to try again), and a save that fails after them runs the message again,
   * whose replies the outbox drops by their key. Either way an answer is never lost, never sent twice.
   * Returns false when the lock was lost (this run took too long): then the session was not saved.
   */
  private async save(
    to: { channel: string; user: string },
    user: UserKey,
    lease: string,
    inbound: Inbound,
    session: Session | null,
    items: OutboxItem[],
    urgent: boolean,
  ): Promise<boolean> {
    // Queued in the same script as the save, the replies need no idempotency key of their own: the
    // saved session remembers the message as handled, so a second run of it queues nothing. Not when
    // the session is erased ("delete my data"): nothing remembers that message, so its key does.
    const atomic = Boolean(this.sessions.commitWith && this.outbox?.prepare) && session !== null;
    const opts = { key: atomic ? undefined : this.replyKey(inbound), priority: urgent ? 'urgent' : 'reply', inReplyTo: true } as const;
    const prepared = this.outbox?.prepare?.(to, items, opts) ?? null;
    if (prepared && this.sessions.commitWith) {
      const r = await this.sessions.commitWith(user, lease, inbound.messageId, session, prepared.write);
      if (r.saved) prepared.done(r.also ?? '');
      return r.saved;
    }
    if (prepared) await (this.outbox!.enqueue?.(prepared) ?? this.outbox!.deliver(to, items, opts));
    return this.sessions.commit(user, lease, inbound.messageId, session);
  }

  /**
   * The idempotency key of a message's replies in the outbox: one per person and message, a keyed
   * hash, so that no key names the person (it outlives the erasure of their data by up to two days).
   */
  private replyKey(inbound: Inbound): string {
    return this.hasher.hash(`reply:${inbound.channel}:${inbound.userId}:${inbound.messageId}`);
  }

  private render(items: readonly OutboxItem[]): Outbound[] {
    return items.map((i) => this.content.renderer.reply(i.lang, i.reply));
  }

  /**
   * Fetches a picture from its platform and reads its text: the text (for the checker) and its first
   * lines (shown, so a misread shows), or why it could not be read. Nothing of the picture or its text
   * is logged or kept; only how it went.
   */
  private async readPicture(user: UserKey, source: PictureSource): Promise<PictureOutcome> {
    const reader = this.pictures!;
    const fail = (failure: PictureFailure, detail?: string): PictureOutcome => {
      // How it failed, never where from: a file path (the terminal) is cut out of the detail.
      this.log.warn({ user: userRef(user), failure, detail: detail?.replace(/(?:~|\.{0,2})?\/[^\s'"]+/g, '<path>') }, 'picture not read');
      this.metrics?.picture(failure);
      return { failure };
    };
    if (source.bytes !== undefined && source.bytes > PICTURE_MAX_BYTES) return fail('too_large');
    let bytes: Buffer;
    try {
      bytes = await source.fetch(PICTURE_MAX_BYTES, AbortSignal.timeout(PICTURE_FETCH_MS));
    } catch (e) {
      const kind = e instanceof PictureProblem ? e.kind : 'unavailable';
      return fail(kind === 'unsupported' ? 'not_picture' : kind, (e as Error).message);
    }
    const r = await reader.read(bytes);
    // The readers are stopping (this process is shutting down): the message is tried again, by the next one.
    if (!r.ok) {
      if (r.failure === 'stopping') throw new Stopping('picture readers stopping');
      return fail(r.failure, `${r.ms} ms`);
    }
    this.log.info({ user: userRef(user), ms: r.ms, chars: r.text.length, confidence: r.confidence }, 'picture read');
    this.metrics?.picture('read');
    const text = r.text.length > MAX_PICTURE_TEXT ? r.text.slice(0, MAX_PICTURE_TEXT) : r.text;
    return { text, excerpt: firstLines(text) };
  }

  private async perform(ctx: EffectContext, type: string, args: Vars): Promise<EffectResult> {
    const handler = this.effects[type];
    if (!handler) {
      this.log.error({ effect: type }, 'flow asked for an effect that does not exist');
      return { outcome: 'error' };
    }
    const parsed = handler.args?.safeParse(args);
    if (parsed && !parsed.success) {
      // Which argument and how it is wrong, never its value (it may be what the person wrote).
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.code}`);
      this.log.error({ effect: type, user: userRef(ctx.user), problems }, 'flow gave an effect arguments it does not take');
      return { outcome: 'error' };
    }
    // A failure here (the store went away) fails the whole message; it is logged once, by handleNow.
    return handler.run(ctx, parsed ? (parsed.data as Vars) : args);
  }
}

/** What a message was, in one word: `choice` (a button), its media kind (`photo`, `voice`, …, `other`), or `text`. */
export function inboundKind(inbound: Inbound): 'choice' | MediaKind | 'text' {
  if (inbound.choice) return 'choice';
  if (inbound.media === undefined) return 'text';
  return (MEDIA_KINDS as readonly string[]).includes(inbound.media) ? inbound.media : 'other';
}

/**
 * The engine's input for a message: a pressed button, media (its caption as text), or text. A text
 * (or caption) carries the cheap look at whether it may be a job offer, so the engine can check an
 * offer pasted anywhere; ordinary short messages cost nothing there.
 */
export function toInput(inbound: Inbound, at: number, picture?: PictureOutcome): Input {
  const langHint = inbound.langHint;
  if (inbound.choice) return { kind: 'choice', id: inbound.choice.id, turn: inbound.choice.turn, at, langHint };
  const text = cleanText(inbound.text ?? '');
  const offer = looksLikeOffer(text);
  if (inbound.media !== undefined) {
    const media = inboundKind(inbound) as MediaKind;
    return picture ? { kind: 'media', media, text, offer, at, langHint, picture } : { kind: 'media', media, text, offer, at, langHint };
  }
  return { kind: 'text', text, at, langHint, offer };
}

/** Another process held the person's lock for longer than a message should take. */
class LockBusy extends Error {}
/** This process took so long that its lease on the person's lock ran out. */
class LeaseLost extends Error {}
/** This process is stopping: what it was reading is left for the next. */
class Stopping extends Error {}
/** A message straight from a webhook whose sender has messages waiting in the inbox: it goes there, behind them. */
class Behind extends Error {}

/** A picture's first part (src: readFirst): what to say first, and what was read, or why the message could not go on. */
interface PictureFirst {
  /** When the picture's message came (its reading began). */
  at: number;
  early: OutboxItem[];
  picture?: PictureOutcome;
  /** Seen before: its answer (nothing). */
  duplicate?: Handled;
  /** Handled by handleNow as any failure of a message (tried again, or a "try again" notice). */
  error?: unknown;
}

/** One line of the service's own (not the engine's), quiet in safety mode as the engine's replies are. */
function line(key: string, quiet: boolean): Reply {
  return quiet ? { say: [{ key }], quiet } : { say: [{ key }] };
}

/** A caption holding a plea (or what may be one): the picture is not read, so the plea is answered at once. */
function isPlea(text: string): boolean {
  if (mightBeUrgent(text)) return true;
  const read = readIntent(text);
  return read.intent === 'emergency' || read.alert;
}

/** Every text key the code (rather than a flow) shows. */
export const CODE_KEYS: readonly string[] = [...ENGINE_KEYS, ...CONVERSATION_KEYS, ...EFFECT_KEYS, ...AGENCY_SAY_KEYS, 'broadcast.message'];

/** Used where no HASH_SECRET is configured (the demo, tests); `serve` refuses to start without one. */
export const DEMO_HASH_SECRET = 'waspada-demo-only-not-a-secret';
