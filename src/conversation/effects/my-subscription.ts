import { z } from 'zod';
import { defineEffect } from './effect.js';
import { isOn, subscriptionSay, withSubscribers } from '../subscriptions.js';

/** "/status", or the menu's alerts item: what the chat is subscribed to (shown), or `none`. */
export const mySubscription = defineEffect({
  name: 'mySubscription',
  outcomes: ['subscribed', 'none', 'error'],
  args: z.object({}).strict(),
  run: (ctx) =>
    withSubscribers(ctx, 'mySubscription', async (subscribers) => {
      const s = await subscribers.get(ctx.channel, ctx.userId);
      return isOn(s) ? { outcome: 'subscribed', say: [subscriptionSay(ctx, s)] } : { outcome: 'none' };
    }),
});
