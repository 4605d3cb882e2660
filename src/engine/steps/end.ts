import { z } from 'zod';
import { SayList, type StepKind } from '../kind.js';

const schema = z.object({ type: z.literal('end'), say: SayList.optional() }).strict();
type Step = z.infer<typeof schema>;

/** Ends this flow: back to the flow that called it, or to the main menu. */
export const end: StepKind<Step> = {
  type: 'end',
  schema,
  waits: false,
  targets: () => [],
  flows: () => [],
  keys: () => [],
  sayItems: (s) => s.say ?? [],
  enter(rt, s) {
    if (s.say) rt.say(s.say);
    rt.end();
  },
};
