import { z } from 'zod';
import { Target, type StepKind } from '../kind.js';
import { FLOW_TARGET } from '../names.js';

const schema = z.object({ type: z.literal('call'), flow: z.string().min(1), next: Target }).strict();
type Step = z.infer<typeof schema>;

/** Runs another flow; when it ends, continues at `next`. */
export const call: StepKind<Step> = {
  type: 'call',
  schema,
  waits: false,
  edges: (s) => [
    { target: `${FLOW_TARGET}${s.flow}`, style: 'call', field: 'flow' },
    { target: s.next, label: { text: 'after' } },
  ],
  detail: (s) => s.flow,
  keys: () => [],
  sayItems: () => [],
  enter(rt, s) {
    rt.call(s.flow, s.next);
  },
};
