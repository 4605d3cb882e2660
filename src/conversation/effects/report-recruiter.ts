import { z } from 'zod';
import { defineEffect } from './effect.js';

/** "Report this recruiter": counts the user as reporting the last offer's contacts, once per message. */
export const reportRecruiter = defineEffect({
  name: 'reportRecruiter',
  outcomes: ['ok', 'none', 'error'],
  /** `contacts`: the keyed hashes of the last offer's contacts, separated by spaces (null when none). */
  args: z.object({ contacts: z.string().nullable() }).strict(),
  async run(ctx, args) {
    const hashes = (args.contacts ?? '').split(' ').filter(Boolean);
    if (!hashes.length) return { outcome: 'none' };
    await ctx.recruiters.record('reported', hashes, ctx.hasher.source(ctx.user), ctx.key);
    ctx.metrics?.reported(hashes, ctx.at);
    return { outcome: 'ok', data: { count: hashes.length } };
  },
});
