import { z } from 'zod';
import { SayList, Target, type StepKind } from '../kind.js';
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
type Step = z.infer<typeof schema>;

/** The hint shown after a wrong answer: the step's own, else one per input type. */
export function hintKey(s: Step): string {
  return s.input.hint ?? `engine.hint.${s.input.type}`;
}

export const input: StepKind<Step> = {
  type: 'input',
  schema,
  waits: true,
  targets: (s) => [s.next],
  flows: () => [],
  keys: (s) => [hintKey(s)],
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.prompt(s.say);
  },
  resume(rt, s, inp) {
    if (inp.kind !== 'text') return rt.stale();
    const parsed = parseInput(s.input, inp.text, rt.now, rt.countries);
    if (!parsed.ok) {
      return rt.retry({ key: hintKey(s), vars: { max: s.input.max ?? 500, reason: parsed.reason } });
    }
    rt.set(s.input.store, parsed.value);
    rt.go(s.next);
  },
};
