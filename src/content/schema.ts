// Shapes shared by the reviewed data files (src/content/data.ts; partners: src/hotline/partners.ts).
import { z } from 'zod';

export const Bilingual = z.object({ id: z.string().min(1), en: z.string().min(1) }).strict();
export const Reviewed = z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d)).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'reviewed must be a date YYYY-MM-DD'));

/** One way to reach an office (contacts.yaml, partners.yaml). */
export const Channel = z
  .object({
    type: z.enum(['phone', 'whatsapp', 'url', 'email', 'sms']),
    value: z.string().min(1),
    note: Bilingual.optional(),
  })
  .strict();
