import { z } from 'zod';
import { onward, SayList, Target, type StepKind } from '../kind.js';
import { INPUT_TYPES, meansNoAnswer, parseInput } from '../inputs.js';
import { VAR_NAME } from '../names.js';
import { nearly, squash } from '../text.js';
import type { Runtime } from '../kind.js';

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
    /**
     * The question may be skipped: a "skip" button is shown (typing its label works too) and the
     * answer is stored as null; then the flow goes here.
     */
    skip: Target.optional(),
  })
  .strict();
type Written = z.infer<typeof schema>;
type Step = Written & { input: { hint: string } };

/** The label of the skip button (in every language, for typed answers). */
export const SKIP_LABEL = 'common.skip';
const SKIP = [{ id: 'skip', label: SKIP_LABEL }];

/**
 * Whether a typed answer means "skip": the button's label (or a typo of it) in any language, or its
 * number (1) as shown where buttons are a numbered list (so a number question that may be skipped
 * cannot take 1 as its answer: its hint asks for the number with its unit, e.g. "24").
 */
function typedSkip(rt: Runtime, s: Step, text: string): boolean {
  const typed = squash(text);
  if (!typed) return false;
  if (typed === '1') return true;
  const forms = rt.labels(SKIP_LABEL);
  return forms.texts.includes(typed) || forms.texts.some((l) => nearly(typed, l)) || typed === 'skip';
}

export const input: StepKind<Step, Written> = {
  type: 'input',
  schema,
  waits: true,
  takesText: true,
  /** The hint shown after a wrong answer: the step's own, else one per input type. */
  defaults: (s) => ({ ...s, input: { ...s.input, hint: s.input.hint ?? `engine.hint.${s.input.type}` } }),
  edges: (s) => [...onward(s), ...(s.skip && s.skip !== s.next ? [{ target: s.skip, label: { key: SKIP_LABEL } }] : [])],
  detail: (s) => `(${s.input.type} → ${s.input.store})`,
  keys: (s) => (s.skip ? [s.input.hint, SKIP_LABEL] : [s.input.hint]),
  writes: (s) => [s.input.store],
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.prompt(s.say, s.skip ? SKIP : undefined);
  },
  resume(rt, s, inp) {
    if (s.skip && inp.kind === 'choice' && inp.id === 'skip' && (inp.turn === undefined || inp.turn === rt.session.turn)) {
      rt.set(s.input.store, null);
      return rt.go(s.skip);
    }
    if (inp.kind !== 'text') return rt.stale();
    const skip = s.skip;
    const skipIt = skip
      ? () => {
          rt.set(s.input.store, null);
          rt.go(skip);
        }
      : undefined;
    if (skipIt && typedSkip(rt, s, inp.text)) return skipIt();
    const parsed = parseInput(s.input, inp.text, rt.now, rt.countries, rt.regions);
    // "Tidak tahu" or "tidak ada" to a question that may be skipped (is she in danger now? another safe
    // number?) skips it: it is the answer the skip stands for. (A text question keeps it as written.)
    if (!parsed.ok && skipIt && meansNoAnswer(inp.text)) return skipIt();
    if (!parsed.ok) {
      return rt.retry({ key: s.input.hint, vars: { max: s.input.max ?? 500, reason: parsed.reason } }, skipIt ? SKIP : undefined, skipIt);
    }
    rt.set(s.input.store, parsed.value);
    rt.go(s.next);
  },
};
