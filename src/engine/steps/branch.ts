import { z } from 'zod';
import { Target, type StepKind } from '../kind.js';
import { SESSION_FIELDS, VAR_NAME } from '../names.js';

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
  decision: true,
  edges: (s) => [
    ...Object.entries(s.cases).map(([value, target]) => ({ target, label: { text: `= ${value}` } })),
    { target: s.default, label: { text: 'otherwise' } },
  ],
  detail: (s) => `on ${s.on}`,
  keys: () => [],
  sayItems: () => [],
  reads: (s) => [s.on],
  check(s, ctx) {
    if (!(SESSION_FIELDS as readonly string[]).includes(s.on) && !VAR_NAME.test(s.on)) ctx.report(['on'], `step "${ctx.id}" branches on "${s.on}", which is not a variable name`);
  },
  enter(rt, s) {
    const value = rt.get(s.on);
    const key = value === undefined || value === null ? '' : String(value);
    rt.go(s.cases[key] ?? s.default);
  },
};
