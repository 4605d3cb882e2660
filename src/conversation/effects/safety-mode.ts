import { z } from 'zod';
import { defineEffect } from './effect.js';

/**
 * Safety mode on or off for this chat, where every sender looks (the outbox's recipient registry):
 * while on, nothing is sent to the person unasked (alerts, status pushes, staff messages). The
 * session's own flag (quiet, neutral replies; the exit word) is set by the flow. Doing it twice is
 * doing it once.
 */
export const safetyMode = defineEffect({
  name: 'safetyMode',
  outcomes: ['ok', 'error'],
  args: z.object({ on: z.boolean() }).strict(),
  async run(ctx, { on }) {
    await ctx.recipients?.setSafety(ctx.channel, ctx.userId, on);
    // Switched off by the person: staff's earlier request for it (if any) no longer holds.
    if (!on) await ctx.sessions.askSafety(ctx.user, false);
    ctx.log.info({ channel: ctx.channel, on }, 'safety mode changed');
    return { outcome: 'ok' };
  },
});
