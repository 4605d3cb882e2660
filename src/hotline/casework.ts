// Casework shared by the staff API (src/staff/casework-api.ts) and the web console's case page
// (src/staff/web/casework-pages.ts): one path for each export, the duplicates listing and linking, so
// what is audited, refused and changed is the same whichever door staff came in by.
import { normaliseCaseId } from './cases.js';
import type { DuplicateFound } from './duplicates.js';
import { fillIdentification, interviewView, mayWorkCases, readCase, type Identification, type IdentificationInput, type InterviewView } from './identification.js';
import { NoConsent, NoDetails, referralPacket, situationOf, suggestReferral, type ReferralPacket } from './referral.js';
import { Conflict, Invalid, NotFound, type HotlineService, type Staff } from './service.js';
import type { Case } from './types.js';

/** What the duplicates listing says of another case: why it matches and its plain fields (never its personal part). */
export type DuplicateCandidate = DuplicateFound & Pick<Case, 'kind' | 'stage' | 'urgent' | 'openedAt'>;

/**
 * The packet of a case (404 without the case, 409 without the reporter's consent), audited as an export
 * in `format` before it is handed over: who, which case, which format, never the content.
 */
export async function exportPacket(hotline: HotlineService, staff: Staff, id: string, format: 'json' | 'pdf'): Promise<ReferralPacket> {
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

/**
 * Other reports that may be of the same person (same name and country spelt differently, same recruiter
 * contact, same passport), and the cases already linked with this one; the read is audited (unless
 * `audited`: the caller's own read of the case was, as the console's case page is). null when this
 * process has no duplicate index.
 */
export async function duplicatesOf(hotline: HotlineService, staff: Staff, id: string, opts: { audited?: boolean } = {}): Promise<{ duplicates: DuplicateCandidate[]; linked: string[] } | null> {
  mayWorkCases(staff);
  const index = hotline.duplicates;
  if (!index) return null;
  if (!opts.audited) await readCase(hotline, staff, id, 'read', 'duplicates');
  const found = await index.find(id, hotline.store);
  const summaries = await Promise.all(found.map((f) => hotline.store.get(f.id)));
  return {
    duplicates: found.flatMap((f, i) => {
      const s = summaries[i];
      return s ? [{ ...f, kind: s.kind, stage: s.stage, urgent: s.urgent, openedAt: s.openedAt }] : [];
    }),
    linked: await index.linked(id),
  };
}

/**
 * Links two reports of one person (family-visible notes and stage changes on one then reach every
 * family of the group), each case recording it and auditing it; the other cases of the group. null
 * when this process has no duplicate index.
 */
export async function linkCases(hotline: HotlineService, staff: Staff, id: string, typed: string): Promise<string[] | null> {
  mayWorkCases(staff);
  const index = hotline.duplicates;
  if (!index) return null;
  const other = normaliseCaseId(typed);
  if (!other) throw new Invalid('other', 'a case number looks like WSP-7K3M-9Q');
  if (other === id) throw new Invalid('other', 'a case cannot be linked with itself');
  for (const x of [id, other]) if (!(await hotline.store.get(x))) throw new NotFound(`no case ${x}`);
  const group = await index.link(id, other);
  await recordLinks(hotline, staff, group, 'link', (x) => ({ with: group.filter((y) => y !== x).join(' ') }));
  return group.filter((y) => y !== id);
}

/** Each case of a link or unlink records it in its history (detail: the other cases) and in the audit log. */
async function recordLinks(hotline: HotlineService, staff: Staff, cases: readonly string[], action: 'link' | 'unlink', detailOf: (x: string) => Record<string, string>): Promise<void> {
  const now = Date.now();
  for (const x of cases) {
    const detail = detailOf(x);
    await hotline.store.update(x, now, (c) => ({
      case: c,
      event: { type: 'linked', at: now, by: staff.name, detail },
      audit: { by: staff.name, role: staff.role, action, detail: Object.values(detail)[0]! },
    }));
  }
}

/**
 * Takes a case out of the group it was linked with (a mistake: another person, or a reporter who should
 * not hear what the others' families are told): from now on nothing shared reaches it, or comes from it.
 * Each case concerned records it and audits it. The cases it was linked with; null without a duplicate index.
 */
export async function unlinkCase(hotline: HotlineService, staff: Staff, id: string): Promise<string[] | null> {
  mayWorkCases(staff);
  const index = hotline.duplicates;
  if (!index) return null;
  if (!(await hotline.store.get(id))) throw new NotFound(`no case ${id}`);
  const others = await index.unlink(id);
  await recordLinks(hotline, staff, [id, ...others], 'unlink', (x) => ({ unlinked: x === id ? others.join(' ') : id }));
  return others;
}

/**
 * Fills the identification interview of a case (audited by fillIdentification): a home province must be
 * one of data/regions.yaml; a passport number given is indexed to find other reports of the person. The
 * interview and the referral it suggests now. null when this process has no checklist.
 */
export async function saveIdentification(hotline: HotlineService, staff: Staff, id: string, input: IdentificationInput): Promise<{ identification: Identification; suggestion: ReturnType<typeof suggestReferral> | null } | null> {
  mayWorkCases(staff);
  if (!hotline.indicators) return null;
  if (input.homeRegion && hotline.regions.length && !hotline.regions.some((r) => r.code === input.homeRegion)) {
    throw new Invalid('homeRegion', `"${input.homeRegion}" is not a province code of data/regions.yaml`);
  }
  const ident = await fillIdentification(hotline, staff, id, input, hotline.indicators);
  if (ident.passport) {
    await hotline.duplicates?.add(id, {}, [ident.passport]).catch((e: Error) => hotline.log.warn({ case: id, err: e.message }, 'passport not indexed for duplicate reports'));
  }
  const c = await hotline.store.get(id);
  return { identification: ident, suggestion: c && suggestReferral(situationOf(c), hotline.partners, hotline.regions) };
}

/**
 * The interview of a case as staff see it (the read audited): the checklist with its answers (every one
 * unknown before the first fill) in `lang`, its result and the suggested referral. null when this
 * process has no checklist.
 */
export async function identificationOf(
  hotline: HotlineService,
  staff: Staff,
  id: string,
  lang: 'id' | 'en',
  /** The case as the caller already read it, audited (the console's case page): not read or audited again. */
  seen?: Pick<Case, 'identification' | 'details'>,
): Promise<{ identification: Identification | null; view: InterviewView; suggestion: ReturnType<typeof suggestReferral> } | null> {
  mayWorkCases(staff);
  if (!hotline.indicators) return null;
  const c = seen ?? (await readCase(hotline, staff, id, 'read', 'identification'));
  return { identification: c.identification ?? null, view: interviewView(c.identification, hotline.indicators, lang), suggestion: suggestReferral(situationOf(c), hotline.partners, hotline.regions) };
}
