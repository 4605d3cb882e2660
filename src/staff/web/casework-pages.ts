// The case page's casework sections (agents and admins): the identification interview, the referral
// packet, possible duplicate reports and safety mode. Everything goes through what the JSON API uses
// (src/hotline/casework.ts, HotlineService.setSafety): each read and export is audited there, each
// change refused there when it conflicts. The downloads are this console's own routes, on the session.
import type { Request, Response } from 'express';
import { duplicatesOf, exportPacket, identificationOf, saveIdentification, linkCases } from '../../hotline/casework.js';
import { ANSWERS, NEEDS, PASSPORT_HOLDERS, type Answer, type IdentificationInput } from '../../hotline/identification.js';
import { packetPdf } from '../../hotline/packet-pdf.js';
import { partnerLabel } from '../../hotline/partners.js';
import { Invalid, type HotlineService, type Staff, type StaffCase } from '../../hotline/service.js';
import { when } from './cases.js';
import { csrfField, esc, type PageContext } from './html.js';
import type { ConsoleKit } from './router.js';

/** What the casework sections show, read (audited) with the case. */
export interface CaseworkView {
  interview: Awaited<ReturnType<typeof identificationOf>>;
  duplicates: Awaited<ReturnType<typeof duplicatesOf>>;
  /** Indonesia's provinces, for the home province (code, name). */
  regions: { code: string; name: string }[];
  /** Partner ids → their names in the page's language. */
  partners: Map<string, string>;
}

/**
 * What the sections show of a case the page has just read through HotlineService.show (audited there:
 * one audit entry for the page, not one more for each section).
 */
export async function loadCasework(hotline: HotlineService, staff: Staff, x: StaffCase, lang: 'id' | 'en'): Promise<CaseworkView> {
  const [interview, duplicates] = await Promise.all([identificationOf(hotline, staff, x.id, lang, x), duplicatesOf(hotline, staff, x.id, { audited: true })]);
  return {
    interview,
    duplicates,
    regions: hotline.regions.map((r) => ({ code: r.code, name: r.names[0]! })).sort((a, b) => a.name.localeCompare(b.name, lang)),
    partners: new Map([...hotline.partners.values()].map((p) => [p.id, partnerLabel(p, lang)])),
  };
}

const option = (value: string, label: string, chosen: string | null) => `<option value="${esc(value)}"${value === chosen ? ' selected' : ''}>${esc(label)}</option>`;
const section = (id: string, title: string, body: string) => `<section aria-labelledby="h-${id}"><h2 id="h-${id}">${esc(title)}</h2>${body}</section>`;

function interviewSection(c: PageContext, x: StaffCase, w: CaseworkView, open: boolean): string {
  const i = w.interview;
  if (!i) return section('ident', c.t('case.ident.title'), `<p class="muted">${esc(c.t('case.ident.unavailable'))}</p>`);
  if (!x.details) return section('ident', c.t('case.ident.title'), `<p class="muted">${esc(c.t('case.purged'))}</p>`);
  const v = i.view;
  const post = (action: string) => `method="post" action="/staff/cases/${esc(x.id)}/${action}"`;
  const result = !v.filled
    ? `<p class="muted">${esc(c.t('case.ident.notYet'))}</p>`
    : v.indicated
      ? `<div class="result indicated"><p><strong>${esc(c.t('case.ident.indicated'))}</strong></p><ul>${v.named.map((n) => `<li>${esc(n.question)}</li>`).join('')}</ul>${v.meaning ? `<p class="muted">${esc(v.meaning)}</p>` : ''}</div>`
      : `<div class="result"><p><strong>${esc(c.t('case.ident.notIndicated'))}</strong></p></div>`;
  const by = v.filled && v.by && v.at ? `<p class="muted">${esc(c.t('case.ident.by', { name: v.by }))} ${when(c, v.at)}</p>` : '';
  const s = i.suggestion.suggested;
  const name = s ? (w.partners.get(s.partner) ?? s.partner) : '';
  const suggestion = s
    ? `<p>${esc(c.t('case.ident.suggested', { partner: name }))} <span class="muted">(${esc(c.t(`case.ident.reason.${s.reason}`))})</span></p>${
        x.partner === s.partner
          ? `<p class="muted">${esc(c.t('case.ident.alreadyReferred'))}</p>`
          : !x.consentShare
            ? `<p class="muted">${esc(c.t('case.noConsent'))}</p>`
            : open
              ? `<form ${post('refer')}>${csrfField(c)}<input type="hidden" name="partner" value="${esc(s.partner)}"><button type="submit">${esc(c.t('case.ident.referSuggested', { partner: name }))}</button></form>`
              : ''
      }`
    : `<p class="muted">${esc(c.t('case.ident.noSuggestion'))}</p>`;
  const answer = (id: string, a: Answer, chosen: Answer) =>
    `<label class="choice"><input type="radio" name="a_${esc(id)}" value="${a}"${a === chosen ? ' checked' : ''}> ${esc(c.t(`case.ident.answer.${a}`))}</label>`;
  const groups = v.groups
    .map(
      (g) =>
        `<fieldset class="ident-group"><legend>${esc(c.t(`case.ident.group.${g.group}`))}</legend>${g.items
          .map((item) => `<fieldset class="indicator"><legend>${esc(item.question)}</legend><div class="answers">${ANSWERS.map((a) => answer(item.id, a, item.answer)).join('')}</div></fieldset>`)
          .join('')}</fieldset>`,
    )
    .join('');
  const form = open
    ? `<form class="case-action interview" ${post('identification')}>${csrfField(c)}
<h3>${esc(c.t('case.ident.formTitle'))}</h3><p class="muted">${esc(c.t('case.ident.hint'))}</p>
${groups}
<div class="row"><div><label for="passport-held-by">${esc(c.t('case.ident.passportHeldBy'))}</label><select id="passport-held-by" name="passport_held_by">${option('', c.t('case.ident.notKnown'), v.passportHeldBy)}${PASSPORT_HOLDERS.map((h) => option(h, c.t(`case.ident.holder.${h}`), v.passportHeldBy)).join('')}</select></div>
<div><label for="passport">${esc(c.t('case.ident.passport'))}</label><input type="text" id="passport" name="passport" maxlength="40" autocomplete="off" spellcheck="false" aria-describedby="passport-hint"><p id="passport-hint" class="muted">${esc(c.t(i.identification?.passport ? 'case.ident.passportKept' : 'case.ident.passportHint'))}</p></div>
<div><label for="home-region">${esc(c.t('case.ident.homeRegion'))}</label><select id="home-region" name="home_region">${option('', c.t('case.ident.notKnown'), v.homeRegion)}${w.regions.map((r) => option(r.code, `${r.name} (${r.code})`, v.homeRegion)).join('')}</select></div>
<div><label for="need">${esc(c.t('case.ident.need'))}</label><select id="need" name="need">${option('', c.t('case.ident.notKnown'), v.need)}${NEEDS.map((n) => option(n, c.t(`case.ident.needs.${n}`), v.need)).join('')}</select></div></div>
<div><button type="submit">${esc(c.t('case.ident.save'))}</button></div></form>`
    : '';
  return section('ident', c.t('case.ident.title'), `${result}${by}<h3>${esc(c.t('case.ident.suggestionTitle'))}</h3>${suggestion}${form}`);
}

function packetSection(c: PageContext, x: StaffCase): string {
  const body = !x.consentShare
    ? `<p class="muted">${esc(c.t('case.packet.noConsent'))}</p>`
    : !x.details
      ? `<p class="muted">${esc(c.t('case.purged'))}</p>`
      : `<p class="muted">${esc(c.t('case.packet.intro'))}</p><ul class="downloads"><li><a href="/staff/cases/${esc(x.id)}/packet.pdf" download>${esc(c.t('case.packet.pdf'))}</a></li><li><a href="/staff/cases/${esc(x.id)}/packet.json" download>${esc(c.t('case.packet.json'))}</a></li></ul>`;
  return section('packet', c.t('case.packet.title'), body);
}

function duplicatesSection(c: PageContext, x: StaffCase, w: CaseworkView, open: boolean): string {
  const d = w.duplicates;
  if (!d) return section('dups', c.t('case.dups.title'), `<p class="muted">${esc(c.t('case.dups.unavailable'))}</p>`);
  const link = (id: string) => `<a href="/staff/cases/${esc(id)}">${esc(id)}</a>`;
  const candidates = d.duplicates.filter((f) => !f.linked);
  const rows = candidates
    .map(
      (f) =>
        `<li><p>${link(f.id)} · ${esc(c.t(`case.stage.${f.stage}`))}${f.urgent ? ` · ${esc(c.t('queue.urgent'))}` : ''}</p><p class="muted">${esc(c.t('case.dups.why', { reasons: f.reasons.map((r) => c.t(`case.dups.reason.${r}`)).join(', ') }))}</p>${
          open
            ? `<form method="post" action="/staff/cases/${esc(x.id)}/link">${csrfField(c)}<input type="hidden" name="other" value="${esc(f.id)}"><button type="submit" class="secondary" aria-label="${esc(c.t('case.dups.linkWith', { id: f.id }))}">${esc(c.t('case.dups.link'))}</button></form>`
            : ''
        }</li>`,
    )
    .join('');
  const body = `<p class="muted">${esc(c.t('case.dups.intro'))}</p>
${candidates.length ? `<ul class="duplicates">${rows}</ul>` : `<p>${esc(c.t('case.dups.none'))}</p>`}
<h3>${esc(c.t('case.dups.linkedTitle'))}</h3>${d.linked.length ? `<ul class="linked">${d.linked.map((id) => `<li>${link(id)}</li>`).join('')}</ul><p class="muted">${esc(c.t('case.dups.linkedHint'))}</p>` : `<p class="muted">${esc(c.t('case.dups.noneLinked'))}</p>`}`;
  return section('dups', c.t('case.dups.title'), body);
}

function safetySection(c: PageContext, x: StaffCase): string {
  const body = x.safety
    ? `<p><strong>${esc(c.t('case.safety.on'))}</strong></p><p class="muted">${esc(c.t('case.safety.onHint'))}</p>`
    : !x.reporter
      ? `<p class="muted">${esc(c.t('case.safety.noReporter'))}</p>`
      : `<p>${esc(c.t('case.safety.off'))}</p><form method="post" action="/staff/cases/${esc(x.id)}/safety">${csrfField(c)}<p class="muted" id="safety-hint">${esc(c.t('case.safety.explain'))}</p><button type="submit" aria-describedby="safety-hint">${esc(c.t('case.safety.switchOn'))}</button></form>`;
  return section('safety', c.t('case.safety.title'), body);
}

/** The four sections, in the case page's order. */
export function caseworkSections(c: PageContext, x: StaffCase, w: CaseworkView): string {
  const open = x.stage !== 'closed';
  return [interviewSection(c, x, w, open), packetSection(c, x), duplicatesSection(c, x, w, open), safetySection(c, x)].join('\n');
}

/** The interview form as the service takes it (an answer or choice not offered is refused, naming it). */
export function interviewInput(body: unknown): IdentificationInput {
  const form = (body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
  const oneOf = <T extends string>(k: string, values: readonly T[]): T | null => {
    const v = str(k);
    if (!v) return null;
    if (!(values as readonly string[]).includes(v)) throw new Invalid(k, `one of ${values.join(', ')}`);
    return v as T;
  };
  const answers: Record<string, Answer> = {};
  for (const k of Object.keys(form)) if (k.startsWith('a_')) answers[k.slice(2)] = oneOf(k, ANSWERS) ?? 'unknown';
  const region = str('home_region').toUpperCase();
  return {
    answers,
    passportHeldBy: oneOf('passport_held_by', PASSPORT_HOLDERS),
    // Left empty: the number given before is kept (the page never shows it back).
    ...(str('passport') ? { passport: str('passport') } : {}),
    homeRegion: region || null,
    need: oneOf('need', NEEDS),
  };
}

/** A change route of cases.ts: done, back to the case page with what was done; refused, the page with why. */
type Change = (action: string, run: (staff: Staff, id: string, body: unknown) => Promise<string>) => void;

export function caseworkRoutes(kit: ConsoleKit, hotline: HotlineService, o: { change: Change; caseOf(req: Request, res: Response): string | null; refused(req: Request, res: Response, id: string, e: unknown): Promise<void> }): void {
  const { router, requireRole, staff } = kit;
  const workers = requireRole('agent', 'admin');

  o.change('identification', async (who, id, body) => {
    const input = interviewInput(body);
    if (input.passport === undefined) {
      // The page does not show the number given before: an empty field keeps it.
      const before = (await hotline.store.get(id))?.identification?.passport;
      if (before) input.passport = before;
    }
    if (!(await saveIdentification(hotline, who, id, input))) throw new Invalid('identification', 'the identification checklist is not served here');
    return 'identified';
  });
  o.change('link', async (who, id, body) => {
    const other = (body as Record<string, unknown> | undefined)?.other;
    if (!(await linkCases(hotline, who, id, typeof other === 'string' ? other : ''))) throw new Invalid('other', 'duplicate reports are not served here');
    return 'linked';
  });
  o.change('safety', async (who, id) => {
    await hotline.setSafety(who, id, true);
    return 'safety';
  });

  for (const format of ['json', 'pdf'] as const) {
    router.get(`/cases/:id/packet.${format}`, workers, async (req, res) => {
      const id = o.caseOf(req, res);
      if (!id) return;
      try {
        const packet = await exportPacket(hotline, staff(res), id, format);
        res.set('Content-Disposition', `attachment; filename="${id}-referral.${format}"`);
        if (format === 'json') res.json(packet);
        else res.type('application/pdf').send(await packetPdf(packet));
      } catch (e) {
        await o.refused(req, res, id, e);
      }
    });
  }
}
