import { z } from 'zod';
import { defineEffect } from './effect.js';
import { withSubscribers } from '../subscriptions.js';

/**
 * "stop" / "berhenti" / "unsubscribe", or "stop all" in the alerts menu: every topic ends at once.
 * `stopped` when there was a subscription to end; `none` otherwise (also where nothing is kept).
 */
export const unsubscribe = defineEffect({
  name: 'unsubscribe',
  outcomes: ['stopped', 'none', 'error'],
  args: z.object({}).strict(),
  run: (ctx) =>
    withSubscribers(
      ctx,
      'unsubscribe',
      async (subscribers) => {
        if (!(await subscribers.optOut(ctx.channel, ctx.userId))) return { outcome: 'none' };
        ctx.metrics?.stopped(ctx.at);
        return { outcome: 'stopped' };
      },
      { outcome: 'none' },
    ),
});
