// The staff API's identification, referral and duplicate routes (mounted by src/staff/api.ts, under its
// bearer authentication and error handling): hotline agents and admins only. Every read of personal
// data and every export is audited (who, which case, which format; never the content); bodies and
// packets are never logged.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { duplicatesOf, exportPacket, identificationOf, linkCases, saveIdentification, unlinkCase } from '../hotline/casework.js';
import { ANSWERS, NEEDS, PASSPORT_HOLDERS } from '../hotline/identification.js';
import { packetPdf } from '../hotline/packet-pdf.js';
import type { HotlineService, Staff } from '../hotline/service.js';
import type { Logger } from '../log.js';

/** What api.ts lends these routes: its request parsing (a 400 naming the field). */
export interface CaseworkDeps {
  hotline: HotlineService;
  log: Logger;
  parse<T extends z.ZodTypeAny>(schema: T, value: unknown, where: 'query' | 'body'): z.output<T>;
  caseId(req: Request): string;
}

const IdentificationBody = z
  .object({
    answers: z.record(z.string().max(64), z.enum(ANSWERS)),
    passportHeldBy: z.enum(PASSPORT_HOLDERS).nullable().optional(),
    passport: z.string().max(40).nullable().optional(),
    homeRegion: z.string().regex(/^[A-Z]{2}$/, 'a province code (ISO 3166-2:ID without "ID-", e.g. NT)').nullable().optional(),
    need: z.enum(NEEDS).nullable().optional(),
  })
  .strict();

const LinkBody = z.object({ other: z.string().max(40) }).strict();
const SafetyBody = z.object({ on: z.boolean() }).strict();
const ViewQuery = z.object({ lang: z.enum(['id', 'en']) }).partial().strict();

const staffOf = (res: Response): Staff => res.locals.staff as Staff;

function unavailable(res: Response, what: string): void {
  res.status(503).json({ error: `${what} is not served here` });
}

export function caseworkRoutes(router: Router, deps: CaseworkDeps): void {
  const { hotline, log, parse, caseId } = deps;

  /** The interview: the checklist with this case's answers (every one unknown before the first fill), its result and the suggested referral. */
  router.get('/cases/:id/identification', async (req, res) => {
    const id = caseId(req);
    const { lang } = parse(ViewQuery, req.query, 'query');
    const found = await identificationOf(hotline, staffOf(res), id, lang ?? 'id');
    if (!found) return unavailable(res, 'the identification checklist (data/indicators.yaml)');
    res.json({ case: id, ...found });
  });

  router.put('/cases/:id/identification', async (req, res) => {
    const id = caseId(req);
    const body = parse(IdentificationBody, req.body, 'body');
    const saved = await saveIdentification(hotline, staffOf(res), id, body);
    if (!saved) return unavailable(res, 'the identification checklist (data/indicators.yaml)');
    res.json({ case: id, ...saved });
  });

  router.get('/cases/:id/packet.json', async (req, res) => {
    const id = caseId(req);
    const packet = await exportPacket(hotline, staffOf(res), id, 'json');
    res.set('Content-Disposition', `attachment; filename="${id}-referral.json"`).json(packet);
  });

  router.get('/cases/:id/packet.pdf', async (req, res) => {
    const id = caseId(req);
    const packet = await exportPacket(hotline, staffOf(res), id, 'pdf');
    const pdf = await packetPdf(packet);
    res.set('Content-Type', 'application/pdf').set('Content-Disposition', `attachment; filename="${id}-referral.pdf"`).send(pdf);
  });

  /** Other reports that may be of the same person: same name and country spelt differently, same recruiter contact, same passport. */
  router.get('/cases/:id/duplicates', async (req, res) => {
    const id = caseId(req);
    const found = await duplicatesOf(hotline, staffOf(res), id);
    if (!found) return unavailable(res, 'duplicate reports');
    res.json({ case: id, ...found });
  });

  /** Safety mode for the case's reporter (someone else may read their phone): nothing reaches their chat unasked. */
  router.post('/cases/:id/safety', async (req, res) => {
    const id = caseId(req);
    const { on } = parse(SafetyBody, req.body, 'body');
    const c = await hotline.setSafety(staffOf(res), id, on);
    log.info({ staff: staffOf(res).name, case: id, on }, 'safety mode set on a case');
    res.json({ case: id, safety: c.safety === true });
  });

  /** Links two reports of one person: family-visible notes and stage changes on one reach every family of the group. */
  router.post('/cases/:id/link', async (req, res) => {
    const id = caseId(req);
    const body = parse(LinkBody, req.body, 'body');
    const staff = staffOf(res);
    const linked = await linkCases(hotline, staff, id, body.other);
    if (!linked) return unavailable(res, 'duplicate reports');
    log.info({ staff: staff.name, cases: linked.length + 1 }, 'cases linked');
    res.json({ case: id, linked });
  });

  /** Takes a case out of its group (linked by mistake): nothing shared reaches it any more. */
  router.post('/cases/:id/unlink', async (req, res) => {
    const id = caseId(req);
    const staff = staffOf(res);
    const was = await unlinkCase(hotline, staff, id);
    if (!was) return unavailable(res, 'duplicate reports');
    log.info({ staff: staff.name, cases: was.length + 1 }, 'case unlinked');
    res.json({ case: id, unlinkedFrom: was });
  });
}
