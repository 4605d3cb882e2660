// What the alert-subscription effects share: the store, with its failures turned into the `error`
// outcome (the flow says "try again"), and how a subscription is shown in the chat.
import { TOPICS, type Subscribers, type Subscription, type Topic } from '../broadcast/subscribers.js';
import type { Say } from '../engine/types.js';
import { day } from '../hotline/say.js';
import { userRef } from '../log.js';
import type { EffectContext, EffectResult } from './effects/effect.js';

/** Texts shown by building their names or only from the code (the effects below). */
export const SUBSCRIPTION_SAY_KEYS = ['subscribe.status.*', 'subscribe.topic.*', 'subscribe.saved'] as const;

/**
 * Runs `work` on the subscribers. Without a store, `absent` (nobody is subscribed where nothing is
 * kept). A failure (Redis away) is logged once and becomes the `error` outcome, whose step tells the
 * person to try again; on a server the session is not saved either then, and the message comes back.
 */
export async function withSubscribers(
  ctx: EffectContext,
  effect: string,
  work: (subscribers: Subscribers) => Promise<EffectResult>,
  absent: EffectResult = { outcome: 'error' },
): Promise<EffectResult> {
  if (!ctx.subscribers) return absent;
  try {
    return await work(ctx.subscribers);
  } catch (err) {
    ctx.log.error({ err: (err as Error).message, effect, user: userRef(ctx.user), channel: ctx.channel }, 'subscription not read or written');
    return { outcome: 'error' };
  }
}

/** Subscribed to at least one topic, and not stopped. */
export function isOn(s: Subscription | null): s is Subscription {
  return s !== null && s.optedOutAt === null && s.topics.length > 0;
}

/** "scam-alerts,safe-migration" (as flows keep them) → the topics, each known one once. */
export function topicsOf(list: string | null | undefined): Topic[] {
  const named = new Set((list ?? '').split(',').map((t) => t.trim()));
  return TOPICS.filter((t) => named.has(t));
}

/** One message: topics, language, province and destination by their names, and since when. */
export function subscriptionSay(ctx: Pick<EffectContext, 'lang' | 'places' | 't'>, s: Subscription): Say[] {
  const notGiven = ctx.t('subscribe.status.not_given');
  const region = ctx.places.regions.find((r) => r.code === s.region)?.names[0];
  const country = ctx.places.countries.find((c) => c.code === s.destination);
  return [
    {
      key: 'subscribe.status.text',
      vars: {
        since: day(s.consentedAt, ctx.lang),
        topics: s.topics.map((t) => ctx.t(`subscribe.topic.${t}`)).join(', '),
        language: ctx.t(`language.${s.lang}`),
        region: region ?? notGiven,
        destination: (country && country.names[ctx.lang === 'en' ? 1 : 0]) ?? notGiven,
      },
    },
  ];
}
