// The staff API's identification, referral and duplicate routes (mounted by src/staff/api.ts, under its
// bearer authentication and error handling): hotline agents and admins only. Every read of personal
// data and every export is audited (who, which case, which format; never the content); bodies and
// packets are never logged.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { normaliseCaseId } from '../hotline/cases.js';
import { ANSWERS, fillIdentification, interviewView, mayWorkCases, NEEDS, PASSPORT_HOLDERS, readCase } from '../hotline/identification.js';
import { packetPdf } from '../hotline/packet-pdf.js';
import { NoConsent, NoDetails, referralPacket, situationOf, suggestReferral, type ReferralPacket } from '../hotline/referral.js';
import { Conflict, Invalid, NotFound, type HotlineService, type Staff } from '../hotline/service.js';
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

/**
 * The packet of a case (404 without the case, 409 without the reporter's consent), audited as an export
 * in `format` before it is handed over: who, which case, which format, never the content.
 */
async function exportPacket(hotline: HotlineService, staff: Staff, id: string, format: 'json' | 'pdf'): Promise<ReferralPacket> {
  mayWorkCases(staff);
  const c = await hotline.store.get(id);
  if (!c) throw new NotFound(`no case ${id}`);
  let packet: ReferralPacket;
  try {
    packet = referralPacket(c, { partners: hotline.partners, indicators: hotline.indicators, regions: hotline.regions, now: Date.now() });
  } catch (e) {
    if (e instanceof NoConsent || e instanceof NoDetails) throw new Conflict(e.message);
    throw e;
  }
  await hotline.store.audit({ at: Date.now(), by: staff.name, role: staff.role, action: 'export', case: id, detail: format });
  return packet;
}

export function caseworkRoutes(router: Router, deps: CaseworkDeps): void {
  const { hotline, log, parse, caseId } = deps;

  /** The interview: the checklist with this case's answers (every one unknown before the first fill), its result and the suggested referral. */
  router.get('/cases/:id/identification', async (req, res) => {
    const id = caseId(req);
    const { lang } = parse(ViewQuery, req.query, 'query');
    mayWorkCases(staffOf(res));
    if (!hotline.indicators) return unavailable(res, 'the identification checklist (data/indicators.yaml)');
    const c = await readCase(hotline, staffOf(res), id, 'read', 'identification');
    const suggestion = suggestReferral(situationOf(c), hotline.partners, hotline.regions);
    res.json({ case: id, identification: c.identification ?? null, view: interviewView(c.identification, hotline.indicators, lang ?? 'id'), suggestion });
  });

  router.put('/cases/:id/identification', async (req, res) => {
    const id = caseId(req);
    const body = parse(IdentificationBody, req.body, 'body');
    mayWorkCases(staffOf(res));
    if (!hotline.indicators) return unavailable(res, 'the identification checklist (data/indicators.yaml)');
    if (body.homeRegion && hotline.regions.length && !hotline.regions.some((r) => r.code === body.homeRegion)) {
      throw new Invalid('homeRegion', `"${body.homeRegion}" is not a province code of data/regions.yaml`);
    }
    const ident = await fillIdentification(hotline, staffOf(res), id, body, hotline.indicators);
    if (ident.passport) {
      await hotline.duplicates?.add(id, {}, [ident.passport]).catch((e: Error) => log.warn({ case: id, err: e.message }, 'passport not indexed for duplicate reports'));
    }
    const c = await hotline.store.get(id);
    res.json({ case: id, identification: ident, suggestion: c && suggestReferral(situationOf(c), hotline.partners, hotline.regions) });
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
    mayWorkCases(staffOf(res));
    const index = hotline.duplicates;
    if (!index) return unavailable(res, 'duplicate reports');
    await readCase(hotline, staffOf(res), id, 'read', 'duplicates');
    const found = await index.find(id, hotline.store);
    const summaries = await Promise.all(found.map((f) => hotline.store.get(f.id)));
    res.json({
      case: id,
      duplicates: found.flatMap((f, i) => {
        const s = summaries[i];
        return s ? [{ ...f, kind: s.kind, stage: s.stage, urgent: s.urgent, openedAt: s.openedAt }] : [];
      }),
      linked: await index.linked(id),
    });
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
    mayWorkCases(staff);
    const index = hotline.duplicates;
    if (!index) return unavailable(res, 'duplicate reports');
    const other = normaliseCaseId(body.other);
    if (!other) throw new Invalid('other', 'a case number looks like WSP-7K3M-9Q');
    if (other === id) throw new Invalid('other', 'a case cannot be linked with itself');
    for (const x of [id, other]) if (!(await hotline.store.get(x))) throw new NotFound(`no case ${x}`);
    const group = await index.link(id, other);
    const now = Date.now();
    for (const x of group) {
      await hotline.store.update(x, now, (c) => ({
        case: c,
        event: { type: 'linked', at: now, by: staff.name, detail: { with: group.filter((y) => y !== x).join(' ') } },
        audit: { by: staff.name, role: staff.role, action: 'link', detail: group.filter((y) => y !== x).join(' ') },
      }));
    }
    log.info({ staff: staff.name, cases: group.length }, 'cases linked');
    res.json({ case: id, linked: group.filter((y) => y !== id) });
  });
}
