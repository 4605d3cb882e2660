import { z } from 'zod';
import { findCaseId } from '../../hotline/cases.js';
import { defineEffect } from './effect.js';

/** "Add information to my case": appends what the family wrote to one of their own open cases. */
export const addToCase = defineEffect({
  name: 'addToCase',
  outcomes: ['added', 'not_found', 'closed', 'error'],
  args: z.object({ id: z.string().nullable(), text: z.string().nullable() }).strict(),
  async run(ctx, a) {
    if (!ctx.hotline) return { outcome: 'error' };
    const id = findCaseId(a.id ?? ''); // typed alone or in a sentence ("kasus WSP-7K3M-9Q")
    if (!id || !a.text) return { outcome: 'not_found' };
    const r = await ctx.hotline.add(id, ctx.channel, ctx.userId, a.text, ctx.key);
    if (r.ok) return { outcome: 'added', data: { id } };
    if (r.reason === 'closed' || r.reason === 'purged') return { outcome: 'closed' };
    if (r.reason === 'not_found') return { outcome: 'not_found' };
    return { outcome: 'error' };
  },
});
