import { z } from 'zod';
import { SayList, type StepKind } from '../kind.js';
import { TARGET_END } from '../names.js';

const schema = z.object({ type: z.literal('end'), say: SayList.optional() }).strict();
type Written = z.infer<typeof schema>;
type Step = Written & { say: NonNullable<Written['say']> };

/** Ends this flow: back to the flow that called it, or to the main menu. */
export const end: StepKind<Step, Written> = {
  type: 'end',
  schema,
  waits: false,
  defaults: (s) => ({ ...s, say: s.say ?? [] }),
  edges: () => [{ target: TARGET_END }],
  keys: () => [],
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.say(s.say);
    rt.end();
  },
};
