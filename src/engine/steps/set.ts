import { z } from 'zod';
import { onward, Target, type StepKind } from '../kind.js';
import { SESSION_FIELDS } from '../names.js';

const schema = z
  .object({
    type: z.literal('set'),
    set: z.record(z.union([z.string(), z.number(), z.boolean(), z.null()])),
    next: Target,
  })
  .strict();
type Step = z.infer<typeof schema>;

export const set: StepKind<Step> = {
  type: 'set',
  schema,
  waits: false,
  edges: onward,
  keys: () => [],
  sayItems: () => [],
  writes: (s) => Object.keys(s.set).filter((name) => !(SESSION_FIELDS as readonly string[]).includes(name)),
  enter(rt, s) {
    for (const [name, value] of Object.entries(s.set)) rt.set(name, value);
    rt.go(s.next);
  },
};
