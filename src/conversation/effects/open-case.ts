import { z } from 'zod';
import { CASE_KINDS } from '../../hotline/types.js';
import { defineEffect } from './effect.js';

const text = z.string().nullable().optional();

/**
 * Opens a hotline case from what the report flow gathered (skipped answers are null). Waspada says
 * "saved" only after this returns `opened`: the case is then in Redis. The same report opens one case
 * (handled twice after a crash, or sent again, it shows the same number and secret) for two days.
 */
export const openCase = defineEffect({
  name: 'openCase',
  outcomes: ['opened', 'error'],
  args: z
    .object({
      kind: z.enum(CASE_KINDS),
      name: text,
      age: z.number().nullable().optional(),
      relation: text,
      country: text,
      city: text,
      employer: text,
      recruiter: text,
      last: text,
      story: text,
      danger: z.boolean().nullable().optional(),
      contact: text,
      consent: z.boolean().nullable().optional(),
      /** A recruiter report: the keyed hashes of the checked offer's contacts, separated by spaces. */
      contacts: text,
      /** A recruiter report: the offer's text, when the person chose to paste it again for the staff. */
      offer: text,
    })
    .strict(),
  async run(ctx, a) {
    if (!ctx.hotline) return { outcome: 'error' };
    const opened = await ctx.hotline.open(
      {
        kind: a.kind,
        urgent: a.kind === 'urgent' || a.danger === true,
        lang: ctx.lang,
        consentShare: a.consent === true,
        reporter: { channel: ctx.channel, userId: ctx.userId, contact: a.contact ?? null },
        details: {
          name: a.name ?? null, age: a.age ?? null, relation: a.relation ?? null, country: a.country ?? null, city: a.city ?? null,
          employer: a.employer ?? null, recruiterContact: a.recruiter ?? null, lastContact: a.last ?? null, story: a.story ?? null,
          danger: a.danger ?? null, ...(a.contacts ? { offerContacts: a.contacts.split(' ').filter(Boolean) } : {}),
          ...(a.offer ? { offerText: a.offer } : {}),
        },
      },
      // Keyed by the person and what the report says, not by the message: a "send" pressed again
      // after a failure that had in fact reached Redis (a reply lost on the way) opens no second case.
      ctx.hasher.hash(`open:${ctx.user}:${JSON.stringify(a)}`),
    );
    return { outcome: 'opened', data: { id: opened.id, secret: opened.secret } };
  },
});
