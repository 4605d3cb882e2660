import { z } from 'zod';
import { SayList, Target, type KindCheck, type StepKind } from '../kind.js';
import { VAR_NAME, varRef } from '../names.js';

const schema = z
  .object({
    type: z.literal('effect'),
    effect: z.string().min(1),
    /** Arguments; a string "$name" passes the session variable `name`. */
    args: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** Result fields are stored as `<store>.<field>`. */
    store: z.string().regex(VAR_NAME).optional(),
    say: SayList.optional(),
    outcomes: z.record(Target).refine((o) => Object.keys(o).length > 0, 'an effect needs at least one outcome'),
  })
  .strict();
type Written = z.infer<typeof schema>;
type Step = Written & { args: NonNullable<Written['args']>; say: NonNullable<Written['say']> };

/**
 * The step's arguments against the effect's: each one known, each required one given, and each
 * literal one valid. A "$variable" is known only when the flow runs (the service checks it then).
 */
function checkArgs(s: Step, schema: z.AnyZodObject, ctx: KindCheck): void {
  const shape = schema.shape as Record<string, z.ZodTypeAny>;
  const takes = Object.keys(shape).join(', ') || 'none';
  for (const [name, value] of Object.entries(s.args)) {
    const field = shape[name];
    if (!field) {
      ctx.report(['args', name], `effect "${s.effect}" takes no argument "${name}" (it takes: ${takes})`);
      continue;
    }
    if (varRef(value) !== undefined) continue;
    const parsed = field.safeParse(value);
    if (!parsed.success) ctx.report(['args', name], `argument "${name}" of effect "${s.effect}": ${parsed.error.issues[0]!.message}`);
  }
  for (const [name, field] of Object.entries(shape)) {
    if (!(name in s.args) && !field.isOptional()) ctx.report(['args'], `step "${ctx.id}" must give effect "${s.effect}" its argument "${name}"`);
  }
}

/** Asks the caller to do something outside the engine, then branches on the outcome it reports. */
export const effect: StepKind<Step, Written> = {
  type: 'effect',
  schema,
  waits: true,
  defaults: (s) => ({ ...s, args: s.args ?? {}, say: s.say ?? [] }),
  edges: (s) => Object.entries(s.outcomes).map(([outcome, target]) => ({ target, label: { text: outcome } })),
  detail: (s) => s.effect,
  keys: () => [],
  sayItems: (s) => s.say,
  reads: (s) => Object.values(s.args).flatMap((v) => varRef(v) ?? []),
  writes: (s) => (s.store ? [`${s.store}.*`] : []),
  check(s, ctx) {
    const effect = ctx.effects[s.effect];
    if (!effect) return ctx.report(['effect'], `step "${ctx.id}" asks for unknown effect "${s.effect}" (known: ${Object.keys(ctx.effects).join(', ')})`);
    const { outcomes } = effect;
    for (const o of Object.keys(s.outcomes)) if (!outcomes.includes(o)) ctx.report(['outcomes', o], `effect "${s.effect}" has no outcome "${o}" (it reports: ${outcomes.join(', ')})`);
    if (!('error' in s.outcomes) && outcomes.includes('error')) ctx.report(['outcomes'], `step "${ctx.id}" must say where to go when effect "${s.effect}" fails (outcome "error")`);
    if (effect.args) checkArgs(s, effect.args, ctx);
  },
  enter(rt, s) {
    rt.say(s.say);
    const args: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(s.args)) {
      const ref = varRef(v);
      args[k] = ref === undefined ? v : (rt.get(ref) ?? null);
    }
    rt.effect({ type: s.effect, args });
  },
  resume(rt, s, input) {
    if (input.kind !== 'effect' || input.effect !== s.effect) return rt.stale();
    if (s.store && input.data) for (const [k, v] of Object.entries(input.data)) rt.set(`${s.store}.${k}`, v);
    for (const message of input.say ?? []) {
      rt.close();
      rt.emit(message);
    }
    rt.close();
    // Own keys only: an outcome such as "constructor" is no target (it named Object's function).
    rt.go((Object.hasOwn(s.outcomes, input.outcome) ? s.outcomes[input.outcome] : undefined) ?? s.outcomes.error ?? '@end');
  },
};
