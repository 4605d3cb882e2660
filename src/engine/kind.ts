// The contract every step kind implements. One file per kind in ./steps, registered by its type string.
import { z } from 'zod';
import type { Country, Region } from './inputs.js';
import type { LabelForms } from './labels.js';
import type { Effect, Input, Lang, Reply, Say, Session, Value } from './types.js';

export const Target = z.string().min(1).describe('a step id in this flow, "@end", or "flow:<id>"');

const VarsSchema = z.record(z.union([z.string(), z.number(), z.boolean()]));
export const SayItem = z.union([
  z.string().min(1),
  z.object({ key: z.string().min(1), vars: VarsSchema.optional() }).strict(),
  // near: "$var" holding where the person is (a country code): that country's missions first.
  z.object({ contacts: z.array(z.string().min(1)).min(1), near: z.string().regex(/^\$[a-z_][a-z0-9_.]*$/i).optional() }).strict(),
  z.object({ facts: z.array(z.string().min(1)).min(1) }).strict(),
]);
export type SayItem = z.infer<typeof SayItem>;
export const SayList = z.array(SayItem);

/** The environment a step runs in: loaded flows and content, plus the position-changing operations. */
export interface Runtime {
  readonly session: Session;
  readonly lang: Lang;
  readonly now: number;
  readonly countries: readonly Country[];
  readonly regions: readonly Region[];
  /** Label text of an i18n key in every language, squashed, and its words: for matching typed answers. */
  labels(key: string): LabelForms;
  /** The words a choice is also asked for by (its `words` text key), squashed, every language's, longest first. */
  keywords(key: string): readonly string[];
  say(items: readonly SayItem[]): void;
  /** Adds content that is already resolved (an effect's own messages); `$` in it is not a variable. */
  emit(says: readonly Say[]): void;
  /** Ends the current message: what is said next goes into a new one. */
  close(): void;
  /** Shows a prompt with choices; the step then waits. */
  prompt(items: readonly SayItem[], choices?: { id: string; label: string }[]): void;
  /**
   * Tells the user the answer was not understood; after three tries in a row, `giveUp` where given (a
   * question that may be skipped goes on without its answer), else the user is taken to the menu.
   * (For a caption sent with a picture or a file: the question is shown again, and nothing is counted.)
   */
  retry(hint: Say, choices?: { id: string; label: string }[], giveUp?: () => void): void;
  /** Says `text` with the choices again, the question still open and its buttons still valid: an answer, not a failure. */
  answer(text: Say, choices?: { id: string; label: string }[]): void;
  go(target: string): void;
  /** Goes to `target` and gives it `input` as its answer instead of asking (an input step). */
  handOver(target: string, input: Input): void;
  call(flow: string, returnTo: string): void;
  effect(effect: Effect): void;
  set(name: string, value: Value): void;
  get(name: string): Value | undefined;
  end(): void;
  /** A button from an earlier prompt was pressed: say so and show the current prompt again. */
  stale(): void;
  /**
   * Whether `text` names a choice of the main menu by its words (not by a number, which means a place
   * in the list shown): if so, it is kept, and the person is taken there once they reach the main
   * menu (e.g. "lapor" typed on the privacy notice, before they agreed).
   */
  keepMenuChoice(text: string): boolean;
  /**
   * Whether `text` names a choice of the main menu by its words, for a person who has agreed to the
   * privacy notice and is not in the middle of telling something (a report): if so, they are taken
   * there at once, as from the menu ("lapor" typed in the guide), and it returns true.
   */
  goToMenuChoice(text: string): boolean;
}

/** A way on from a step, for the checks (references, reachability, dead ends) and the diagram. */
export interface Edge {
  /** A step id in this flow, "@end", "@idle" or "flow:<id>". */
  target: string;
  /** Written on the edge in the diagram: an i18n key (shown in the source language) or plain text. */
  label?: { key: string } | { text: string };
  /**
   * `call`: runs the flow `target` and comes back to this flow (a dotted line in the diagram; not a
   * way out of the step). `fallback`: taken only for an answer the step does not expect, such as a
   * long typed text handed over to another step (a way on for the checks; not drawn).
   */
  style?: 'call' | 'fallback';
  /** The step's field a problem with this edge is reported at (by default the step itself). */
  field?: string;
}

/** What the checks know of an effect the conversation service performs. */
export interface EffectSignature {
  /** Every outcome it can report. */
  outcomes: readonly string[];
  /** The arguments it takes (an object schema); without one, any arguments pass. */
  args?: z.AnyZodObject;
}

/** What a kind's own reference check (pass two of validation) sees, and where it reports. */
export interface KindCheck {
  /** The step's id in its flow. */
  id: string;
  /** Effects the conversation service performs: what each reports and takes. */
  effects: Readonly<Record<string, EffectSignature>>;
  /** Reports a problem at a field of the step (the path is relative to the step, for the line number). */
  report(path: (string | number)[], message: string): void;
}

/**
 * Everything the engine, the checks and the diagram know about one step kind. `S` is the step as the
 * engine runs it; `W` the step as written (what `schema` parses), when `defaults` fills in fields.
 */
interface KindParts<S extends { type: string }, W> {
  type: S['type'];
  /** Pass one of validation: the shape of the step as written in a flow file. */
  schema: z.ZodType<W, z.ZodTypeDef, unknown>;
  /** Steps of a waiting kind stop the run and wait for the user (or an effect's result); they resume. */
  waits: boolean;
  /**
   * The step asks for free text: an answer handed over to it (`handOver`) is its answer, and a long
   * message with a plea in it is taken as that text (with an emergency alert first) rather than as
   * a request for the emergency flow.
   */
  takesText?: boolean;
  /**
   * This step takes a long typed text that is none of its answers itself (a choice with a `text`
   * target): a likely job offer is left to it rather than sent to the offer flow.
   */
  takesLongText?(step: S): boolean;
  /** Every way on from the step, in the order the diagram draws them. */
  edges(step: S): Edge[];
  /** Shown after the kind's name in the diagram's node (e.g. "on lang" for a branch). */
  detail?(step: S): string;
  /** Drawn as a decision (a diamond) in the diagram. */
  decision?: boolean;
  /** i18n keys the step uses besides its say items (choice labels, hints). */
  keys(step: S): string[];
  sayItems(step: S): SayItem[];
  /** Variables the step reads besides those in its say items (e.g. an effect's "$name" arguments). */
  reads?(step: S): string[];
  /** Variables the step stores; "<name>.*" for every "<name>.<field>" (an effect's result). */
  writes?(step: S): string[];
  /** Kind-specific reference checks, run after the common ones (targets, flows, texts). */
  check?(step: S, ctx: KindCheck): void;
  enter(rt: Runtime, step: S): void;
  resume?(rt: Runtime, step: S, input: Input): void;
  /** The choices the person picks from at this step, for a kind that offers some (the main menu's, read by keepMenuChoice). */
  choices?(step: S): readonly { id: string; label: string; next: string }[];
}

/** A kind whose written step lacks fields the running step has must fill them in (its documented defaults). */
export type StepKind<S extends { type: string }, W extends { type: string } = S> = KindParts<S, W> &
  ([W] extends [S] ? { defaults?: (step: W) => S } : { defaults: (step: W) => S });

/** The one way on of a step that goes to `next`. */
export const onward = (step: { next: string }): Edge[] => [{ target: step.next }];

export type { Reply };
