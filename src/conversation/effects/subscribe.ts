import { z } from 'zod';
import { TOPICS } from '../../broadcast/subscribers.js';
import { defineEffect } from './effect.js';
import { subscriptionSay, topicsOf, withSubscribers } from '../subscriptions.js';

const code = z.string().regex(/^[A-Z]{2}$/).nullable().optional();

/**
 * Subscribes the chat once the person agreed: the topics, the conversation's language, the province
 * and destination (or none), consented now. Subscribing from the chat undoes an earlier stop. `keep`:
 * a change keeps the subscription's `places` (province, destination) or its `topics` as they are.
 */
export const subscribe = defineEffect({
  name: 'subscribe',
  outcomes: ['subscribed', 'error'],
  args: z
    .object({
      /** Comma-separated: "scam-alerts", "safe-migration" or both; null when kept. */
      topics: z
        .string()
        .nullable()
        .optional()
        .refine((t) => t == null || t.split(',').every((x) => (TOPICS as readonly string[]).includes(x)), `topics must be ${TOPICS.join(' and/or ')}, comma-separated`),
      region: code,
      destination: code,
      keep: z.enum(['places', 'topics']).nullable().optional(),
    })
    .strict(),
  run: (ctx, a) =>
    withSubscribers(ctx, 'subscribe', async (subscribers) => {
      const before = a.keep ? await subscribers.get(ctx.channel, ctx.userId) : null;
      const topics = a.keep === 'topics' ? (before?.topics ?? []) : topicsOf(a.topics);
      // Nothing to subscribe to (the subscription being changed ended meanwhile): nothing is written.
      if (!topics.length) return { outcome: 'error' };
      const places = a.keep === 'places' ? { region: before?.region ?? null, destination: before?.destination ?? null } : { region: a.region ?? null, destination: a.destination ?? null };
      const s = { channel: ctx.channel, user: ctx.userId, lang: ctx.lang, topics, ...places, consentedAt: ctx.at };
      if ((await subscribers.subscribe(s)) === 'new') ctx.metrics?.subscribed(ctx.lang, ctx.at);
      return { outcome: 'subscribed', say: [[{ key: 'subscribe.saved' }, ...subscriptionSay(ctx, { ...s, optedOutAt: null, lastDeliveryAt: null, previousDeliveryAt: null })]] };
    }),
});
