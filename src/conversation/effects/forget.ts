import { z } from 'zod';
import { defineEffect } from './effect.js';

/**
 * "Delete my data": removes every key holding the user's personal data, the user's mark in the
 * recipient registry (it names them), their own fields (this chat, their contact) from the reports
 * they made, and their alert subscription. Doing it twice is doing it once.
 */
export const forget = defineEffect({
  name: 'forget',
  outcomes: ['ok', 'error'],
  args: z.object({}).strict(),
  async run(ctx) {
    // Their personal fields leave their reports first (the reports stay, for the missing person).
    await ctx.hotline?.forgetReporter(ctx.channel, ctx.userId);
    await ctx.sessions.forgetUser(ctx.user);
    if (ctx.subscribers) {
      // The subscription ends, then its record goes. What stays is a mark, under a keyed hash (it names
      // nobody), that this chat stopped: an import of people who opted in elsewhere does not add it again.
      await ctx.subscribers.optOut(ctx.channel, ctx.userId);
      await ctx.subscribers.forget(ctx.channel, ctx.userId);
    }
    await ctx.recipients?.markReachable(ctx.channel, ctx.userId);
    // The safety-mode mark and its message ids name the person too (nothing is sent to them unasked
    // anyway now: no report of theirs, no subscription).
    await ctx.recipients?.setSafety(ctx.channel, ctx.userId, false);
    ctx.erase = true;
    return { outcome: 'ok' };
  },
});
