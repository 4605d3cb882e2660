// What an effect is: a named piece of work a flow asks for (`type: effect`), performed by the
// conversation service with the real stores, reporting one of its declared outcomes. One file each in
// this folder, registered in index.ts.
import type { z } from 'zod';
import type { AgencyLookups } from '../../agencies/registry.js';
import type { Subscribers } from '../../broadcast/subscribers.js';
import type { ReferenceData } from '../../content/data.js';
import type { EffectSignature } from '../../engine/kind.js';
import type { Lang, Say, Vars } from '../../engine/types.js';
import type { HotlineService } from '../../hotline/service.js';
import type { Logger } from '../../log.js';
import type { Recipients } from '../../outbox/recipients.js';
import type { UserKey } from '../../store/keys.js';
import type { RecruiterRegistry } from '../../store/recruiters.js';
import type { SessionStore } from '../../store/sessions.js';
import type { MetricsRecorder } from '../../staff/metrics.js';
import type { RecruiterHasher } from '../recruiters.js';

export interface EffectContext {
  /** The person: "<channel>:<user id>", as sessions and counts know them. */
  user: UserKey;
  /** The same person as their channel knows them (the recipient registry's key). */
  channel: string;
  userId: string;
  messageId: string;
  /**
   * The idempotency key of this run: the same for the same person, message, effect and round, so a
   * message handled again (its first save failed) repeats nothing. An effect with side effects does
   * each of them once per key. Opaque (a keyed hash): safe to store, it names nobody.
   */
  key: string;
  lang: Lang;
  sessions: SessionStore;
  recruiters: RecruiterRegistry;
  /** The recipient registry of the outbox, where the service has one (the terminal chat has none). */
  recipients?: Recipients;
  hasher: RecruiterHasher;
  /** The hotline's cases (reports, their status); absent where no case store is configured. */
  hotline?: HotlineService;
  /** Alert subscriptions; absent where none are kept (then nobody is subscribed). */
  subscribers?: Subscribers;
  /** The imported list of licensed placement agencies; absent where none is kept (then nothing is said of agencies). */
  agencies?: AgencyLookups;
  /** The staff dashboard's counters (verdicts, reports, subscriptions); absent where none are kept. */
  metrics?: MetricsRecorder;
  /** The provinces and countries people name (reference data), to show a code by its name. */
  places: Pick<ReferenceData, 'countries' | 'regions' | 'contacts'>;
  /** When the message is being handled (ms since epoch). */
  at: number;
  /** Where an effect that turns a failure into its `error` outcome logs that failure (once, without personal data). */
  log: Logger;
  /** A text in the user's language (for texts placed inside other texts). */
  t(key: string, vars?: Record<string, unknown>): string;
  /** Set by an effect that deleted the user's data: the session is erased instead of saved. */
  erase: boolean;
}

export interface EffectResult {
  outcome: string;
  data?: Vars;
  /** Messages composed by the effect, one list of items per message. */
  say?: Say[][];
}

/** The arguments an effect takes: an object of named values (a flow's `args`). */
export type EffectArgs = z.AnyZodObject;

/** One effect: its name, what it can report, the arguments it takes, and what it does. */
export interface EffectDefinition<A extends EffectArgs = EffectArgs> extends EffectSignature {
  /** The name a flow asks for it by (`effect: <name>`). */
  name: string;
  /** Every outcome it can report; flows:check makes each flow that asks for it handle them. */
  outcomes: readonly string[];
  /**
   * Its arguments. flows:check validates the literal ones in flows (a "$variable" is known only when
   * the flow runs); the service validates all of them before `run`, and a bad one is the `error` outcome.
   */
  args: A;
  run(ctx: EffectContext, args: z.output<A>): Promise<EffectResult>;
}

/** What the service runs: a definition, or a stand-in (tests) that may leave out the name and schema. */
export interface EffectHandler {
  name?: string;
  outcomes: readonly string[];
  args?: EffectArgs;
  run(ctx: EffectContext, args: Vars): Promise<EffectResult>;
}

/** Declares an effect, with `run`'s arguments typed by the schema. */
export function defineEffect<A extends EffectArgs>(def: EffectDefinition<A>): EffectDefinition<A> {
  return def;
}
