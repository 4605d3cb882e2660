import { z } from 'zod';
import { caseSay } from '../../hotline/say.js';
import { defineEffect } from './effect.js';

/**
 * "My report status": the chat's own cases, newest first, each in plain words. `data.open` is the
 * number of the latest open case (for "add information"), `data.opens` how many are open.
 */
export const myCases = defineEffect({
  name: 'myCases',
  outcomes: ['some', 'none', 'error'],
  args: z.object({}).strict(),
  async run(ctx) {
    if (!ctx.hotline) return { outcome: 'error' };
    const cases = (await ctx.hotline.mine(ctx.channel, ctx.userId)).slice(0, 5);
    if (!cases.length) return { outcome: 'none' };
    const open = cases.filter((c) => c.stage !== 'closed');
    return {
      outcome: 'some',
      data: { open: open[0]?.id ?? null, opens: open.length },
      say: cases.map((c) => caseSay(c, ctx.hotline!.partners)),
    };
  },
});
