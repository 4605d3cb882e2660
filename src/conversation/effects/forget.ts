import { z } from 'zod';
import { defineEffect } from './effect.js';

/**
 * "Delete my data": removes every key holding the user's personal data, and the user's mark in the
 * recipient registry (it names them). Doing it twice is doing it once.
 */
export const forget = defineEffect({
  name: 'forget',
  outcomes: ['ok', 'error'],
  args: z.object({}).strict(),
  async run(ctx) {
    await ctx.sessions.forgetUser(ctx.user);
    await ctx.recipients?.markReachable(ctx.channel, ctx.userId);
    ctx.erase = true;
    return { outcome: 'ok' };
  },
});
