// The contract every step kind implements. One file per kind in ./steps, registered by its type string.
import { z } from 'zod';
import type { Country } from './inputs.js';
import type { Effect, Input, Lang, Reply, Say, Session, Value } from './types.js';

export const Target = z.string().min(1).describe('a step id in this flow, "@end", or "flow:<id>"');

const VarsSchema = z.record(z.union([z.string(), z.number(), z.boolean()]));
export const SayItem = z.union([
  z.string().min(1),
  z.object({ key: z.string().min(1), vars: VarsSchema.optional() }).strict(),
  z.object({ contacts: z.array(z.string().min(1)).min(1) }).strict(),
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
  /** Label text of an i18n key in every language (the session's first), for matching typed answers. */
  labels(key: string): string[];
  say(items: readonly SayItem[]): void;
  /** Adds content that is already resolved (an effect's own messages); `$` in it is not a variable. */
  emit(says: readonly Say[]): void;
  /** Ends the current message: what is said next goes into a new one. */
  close(): void;
  /** Shows a prompt with choices; the step then waits. */
  prompt(items: readonly SayItem[], choices?: { id: string; label: string }[]): void;
  /** Tells the user the answer was not understood; after three tries the user is taken to the menu. */
  retry(hint: Say, choices?: { id: string; label: string }[]): void;
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
}

export interface StepKind<S extends { type: string }> {
  type: S['type'];
  schema: z.ZodType<S, z.ZodTypeDef, unknown>;
  /** Steps of a waiting kind stop the run and wait for the user (or an effect's result). */
  waits: boolean;
  targets(step: S): string[];
  flows(step: S): string[];
  keys(step: S): string[];
  sayItems(step: S): SayItem[];
  enter(rt: Runtime, step: S): void;
  resume?(rt: Runtime, step: S, input: Input): void;
}

export type { Reply };
