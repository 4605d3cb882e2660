import { z } from 'zod';
import { defineEffect } from './effect.js';

/**
 * "Delete my data": removes every key holding the user's personal data, the user's mark in the
 * recipient registry (it names them), and their own fields (this chat, their contact) from the reports
 * they made. Doing it twice is doing it once.
 */
export const forget = defineEffect({
  name: 'forget',
  outcomes: ['ok', 'error'],
  args: z.object({}).strict(),
  async run(ctx) {
    // Their personal fields leave their reports first (the reports stay, for the missing person).
    await ctx.hotline?.forgetReporter(ctx.channel, ctx.userId);
    await ctx.sessions.forgetUser(ctx.user);
    await ctx.recipients?.markReachable(ctx.channel, ctx.userId);
    ctx.erase = true;
    return { outcome: 'ok' };
  },
});
