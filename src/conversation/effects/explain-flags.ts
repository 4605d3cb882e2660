import { z } from 'zod';
import type { Say } from '../../engine/types.js';
import { defineEffect } from './effect.js';

/** "Learn more": the full explanation of each flag of the last verdict. */
export const explainFlags = defineEffect({
  name: 'explainFlags',
  outcomes: ['ok', 'none'],
  /** `flags`: the flag ids of the last verdict, separated by spaces (null when there was none). */
  args: z.object({ flags: z.string().nullable() }).strict(),
  async run(ctx, args) {
    const ids = (args.flags ?? '').split(' ').filter(Boolean);
    if (!ids.length) return { outcome: 'none' };
    const say: Say[] = ids.flatMap((id) => [{ key: 'checker.verdict.explain', vars: { title: ctx.t(`checker.flag.${id}.title`), text: ctx.t(`checker.flag.${id}.explain`) } }]);
    return { outcome: 'ok', say: [say] };
  },
});
