import { z } from 'zod';
import { onward, SayList, Target, type StepKind } from '../kind.js';

const schema = z.object({ type: z.literal('say'), say: SayList.min(1), next: Target }).strict();
type Step = z.infer<typeof schema>;

export const say: StepKind<Step> = {
  type: 'say',
  schema,
  waits: false,
  edges: onward,
  keys: () => [],
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.say(s.say);
    rt.go(s.next);
  },
};
