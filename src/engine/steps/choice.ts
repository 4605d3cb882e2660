import { z } from 'zod';
import { SayList, Target, type Runtime, type StepKind } from '../kind.js';
import type { Input } from '../types.js';
import { nearly, squash } from '../text.js';

const Choice = z.object({ id: z.string().regex(/^[a-z0-9_-]+$/), label: z.string().min(1), next: Target }).strict();
const schema = z
  .object({ type: z.literal('choice'), say: SayList.min(1), choices: z.array(Choice).min(1).max(12) })
  .strict()
  .refine((s) => new Set(s.choices.map((c) => c.id)).size === s.choices.length, { message: 'choice ids must be unique', path: ['choices'] });
type Step = z.infer<typeof schema>;

const ORDINALS: Record<string, number> = { satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };

function options(s: Step) {
  return s.choices.map((c) => ({ id: c.id, label: c.label }));
}

/** Which choice a typed answer means: its number, its id, or (a typo of) its label. */
export function matchChoice(rt: Pick<Runtime, 'label'>, choices: Step['choices'], text: string): Step['choices'][number] | undefined {
  const typed = squash(text);
  if (!typed) return undefined;
  const n = /^\d{1,2}$/.test(typed) ? Number(typed) : ORDINALS[typed];
  if (n !== undefined) return choices[n - 1];
  const labels = choices.map((c) => squash(rt.label(c.label)));
  const exact = choices.find((c, i) => typed === labels[i] || typed === squash(c.id));
  if (exact) return exact;
  const typo = choices.filter((_, i) => nearly(typed, labels[i]!));
  if (typo.length === 1) return typo[0];
  // A unique label that starts with what was typed ("panduan" for "Panduan migrasi aman").
  if (typed.length >= 4) {
    const prefix = choices.filter((_, i) => labels[i]!.startsWith(typed + ' ') || labels[i]!.split(' ').includes(typed));
    if (prefix.length === 1) return prefix[0];
  }
  return undefined;
}

export const choice: StepKind<Step> = {
  type: 'choice',
  schema,
  waits: true,
  targets: (s) => s.choices.map((c) => c.next),
  flows: () => [],
  keys: (s) => s.choices.map((c) => c.label),
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.prompt(s.say, options(s));
  },
  resume(rt, s, input: Input) {
    if (input.kind === 'choice') {
      const picked = s.choices.find((c) => c.id === input.id);
      if (!picked || (input.token !== undefined && input.token !== rt.session.turn)) return rt.stale();
      return rt.go(picked.next);
    }
    if (input.kind !== 'text') return rt.stale();
    const picked = matchChoice(rt, s.choices, input.text);
    if (picked) return rt.go(picked.next);
    rt.retry({ key: 'engine.hint.choice', vars: { count: s.choices.length } }, options(s));
  },
};
