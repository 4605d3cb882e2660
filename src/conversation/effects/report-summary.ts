import { z } from 'zod';
import type { Say } from '../../engine/types.js';
import { defineEffect } from './effect.js';

const text = z.string().nullable().optional();

/** The answers of a report in the order asked; a skipped one (null) shows as skipped. */
const FIELDS = ['name', 'age', 'relation', 'country', 'city', 'employer', 'recruiter', 'last', 'story', 'danger', 'contact', 'consent'] as const;

const regionNames = new Map<string, Intl.DisplayNames>();
function countryName(code: string, lang: string): string {
  let names = regionNames.get(lang);
  if (!names) regionNames.set(lang, (names = new Intl.DisplayNames([lang], { type: 'region' })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The summary shown before a report is sent, to confirm or correct: one line per answer. */
export const reportSummary = defineEffect({
  name: 'reportSummary',
  outcomes: ['ok'],
  args: z
    .object({
      name: text, age: z.number().nullable().optional(), relation: text, country: text, city: text, employer: text, recruiter: text,
      last: text, story: text, danger: z.boolean().nullable().optional(), contact: text, consent: z.boolean().nullable().optional(),
    })
    .strict(),
  async run(ctx, a) {
    const say: Say[] = [{ key: 'hotline.report.summary_title' }];
    for (const f of FIELDS) {
      if (!(f in a)) continue;
      const v = a[f];
      let shown: string;
      if (v === null || v === undefined || v === '') shown = ctx.t('hotline.report.skipped');
      else if (typeof v === 'boolean') shown = ctx.t(v ? 'hotline.report.yes' : 'hotline.report.no');
      else if (f === 'country') shown = countryName(String(v), ctx.lang);
      else shown = String(v);
      say.push({ key: `hotline.report.field.${f}`, vars: { v: shown } });
    }
    return { outcome: 'ok', say: [say] };
  },
});
