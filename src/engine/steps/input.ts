import { z } from 'zod';
import { onward, SayList, Target, type StepKind } from '../kind.js';
import { INPUT_TYPES, parseInput } from '../inputs.js';
import { VAR_NAME } from '../names.js';

const schema = z
  .object({
    type: z.literal('input'),
    say: SayList.min(1),
    input: z
      .object({
        type: z.enum(INPUT_TYPES),
        store: z.string().regex(VAR_NAME),
        max: z.number().int().positive().optional(),
        min: z.number().int().nonnegative().optional(),
        pattern: z
          .string()
          .refine((p) => {
            try {
              new RegExp(p, 'u');
              return true;
            } catch {
              return false;
            }
          }, 'pattern is not a valid regular expression')
          .optional(),
        past: z.boolean().optional(),
        hint: z.string().min(1).optional(),
      })
      .strict(),
    next: Target,
  })
  .strict();
type Written = z.infer<typeof schema>;
type Step = Written & { input: { hint: string } };

export const input: StepKind<Step, Written> = {
  type: 'input',
  schema,
  waits: true,
  takesText: true,
  /** The hint shown after a wrong answer: the step's own, else one per input type. */
  defaults: (s) => ({ ...s, input: { ...s.input, hint: s.input.hint ?? `engine.hint.${s.input.type}` } }),
  edges: onward,
  detail: (s) => `(${s.input.type} → ${s.input.store})`,
  keys: (s) => [s.input.hint],
  writes: (s) => [s.input.store],
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.prompt(s.say);
  },
  resume(rt, s, inp) {
    if (inp.kind !== 'text') return rt.stale();
    const parsed = parseInput(s.input, inp.text, rt.now, rt.countries);
    if (!parsed.ok) {
      return rt.retry({ key: s.input.hint, vars: { max: s.input.max ?? 500, reason: parsed.reason } });
    }
    rt.set(s.input.store, parsed.value);
    rt.go(s.next);
  },
};
