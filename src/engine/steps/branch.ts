import { z } from 'zod';
import { Target, type StepKind } from '../kind.js';

const schema = z
  .object({
    type: z.literal('branch'),
    on: z.string().min(1),
    cases: z.record(Target),
    default: Target,
  })
  .strict();
type Step = z.infer<typeof schema>;

export const branch: StepKind<Step> = {
  type: 'branch',
  schema,
  waits: false,
  targets: (s) => [...Object.values(s.cases), s.default],
  flows: () => [],
  keys: () => [],
  sayItems: () => [],
  enter(rt, s) {
    const value = rt.get(s.on);
    const key = value === undefined || value === null ? '' : String(value);
    rt.go(s.cases[key] ?? s.default);
  },
};
