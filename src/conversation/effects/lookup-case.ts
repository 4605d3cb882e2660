import { z } from 'zod';
import { findCaseId, findSecret } from '../../hotline/cases.js';
import { caseSay } from '../../hotline/say.js';
import { defineEffect } from './effect.js';

/**
 * A case seen from another chat (a relative's phone): only with its number and its secret. A wrong
 * number and a wrong secret get the same answer, so neither can be found by trying.
 */
export const lookupCase = defineEffect({
  name: 'lookupCase',
  outcomes: ['found', 'not_found', 'error'],
  args: z.object({ number: z.string().nullable(), secret: z.string().nullable() }).strict(),
  async run(ctx, a) {
    if (!ctx.hotline) return { outcome: 'error' };
    // Either answer may be the confirmation pasted whole, or the number and the code said in a sentence.
    const id = findCaseId(a.number ?? '');
    if (!id || !a.secret) return { outcome: 'not_found' };
    const c = await ctx.hotline.lookup(id, findSecret(a.secret));
    if (!c) return { outcome: 'not_found' };
    return { outcome: 'found', say: [caseSay(c, ctx.hotline.partners)] };
  },
});
