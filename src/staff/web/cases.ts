// The hotline's pages of the console, for agents and admins: the queue (/staff/cases, urgent and waiting
// cases first, refreshed by queue.js without reloading), a case (/staff/cases/:id: read, claim, note,
// refer, stage, close) and, for admins, a case's audit trail. Everything goes through HotlineService
// as the JSON API does (but the queue page's own refreshes: see GET /cases): each view of a case is
// audited there, a change is refused there when it conflicts, and a note shared with the family
// reaches their chat through the outbox from there.
// Personal fields are decrypted by the service for this page only; they are escaped like every value
// and never logged (logs name the case and the action).
import type { Request, Response } from 'express';
import { normaliseCaseId, queueScore } from '../../hotline/cases.js';
import { partnerLabel } from '../../hotline/partners.js';
import { Conflict, Forbidden, Invalid, MAX_NOTE, NotFound, type HotlineService, type Staff, type StaffCase } from '../../hotline/service.js';
import { STAGES, type AuditEntry, type CaseEvent, type CaseSummary } from '../../hotline/types.js';
import { errorPage, esc, layout, type PageContext } from './html.js';
import { caseworkRoutes, caseworkSections, loadCasework, type CaseworkView } from './casework-pages.js';
import type { ConsoleDeps, ConsoleKit } from './router.js';

/** Seconds between two refreshes of the queue page (queue.js; only while the page is visible). */
export const QUEUE_REFRESH_S = 10;
/** The most cases the queue page lists. */
const QUEUE_LIMIT = 500;
/** Stages staff set by hand (a case is closed with an outcome). */
const OPEN_STAGES = STAGES.filter((s) => s !== 'closed');
/** Outcomes offered when closing (the service takes any short word; these have texts). */
export const OUTCOMES = ['found', 'returned_home', 'referred_elsewhere', 'no_contact', 'duplicate', 'other'] as const;
/** What a change did, shown once after the redirect (?done=). */
const DONE = ['claimed', 'noted', 'notedFamily', 'referred', 'staged', 'closed', 'identified', 'linked', 'safety'] as const;

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

// --- formatting ----------------------------------------------------------------------------------

const locale = (c: PageContext) => (c.lang === 'id' ? 'id-ID' : 'en-GB');

/** A moment as staff in Indonesia read it (Jakarta time, named), in a <time> element. */
export function when(c: PageContext, at: number): string {
  const text = new Intl.DateTimeFormat(locale(c), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Jakarta', timeZoneName: 'short' }).format(at);
  return `<time datetime="${esc(new Date(at).toISOString())}">${esc(text)}</time>`;
}

/** How long ago ("5 minutes ago", "5 menit yang lalu"), with the moment itself as its title. */
function age(c: PageContext, at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  const [n, unit]: [number, Intl.RelativeTimeFormatUnit] = s < 60 ? [s, 'second'] : s < 3600 ? [Math.floor(s / 60), 'minute'] : s < 86_400 ? [Math.floor(s / 3600), 'hour'] : [Math.floor(s / 86_400), 'day'];
  const text = new Intl.RelativeTimeFormat(locale(c), { numeric: 'auto' }).format(-n, unit);
  return `<time datetime="${esc(new Date(at).toISOString())}" title="${esc(new Date(at).toISOString())}">${esc(text)}</time>`;
}

/** A text of a family of keys (case.stage.*, case.event.*, ...), or the value itself when it has none (a stage or event newer than the texts). */
const named = (c: PageContext, family: string, value: string) => {
  const key = `${family}.${value}`;
  const text = c.t(key);
  return text === key ? value : text;
};
/** A country's name in the page's language, with its code (KH: "Kamboja (KH)"). */
function country(c: PageContext, code: string): string {
  try {
    const name = new Intl.DisplayNames([locale(c)], { type: 'region' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
const stageLabel = (c: PageContext, stage: string) => named(c, 'case.stage', stage);
const urgency = (c: PageContext, urgent: boolean) => (urgent ? `<span class="badge urgent">${esc(c.t('queue.urgent'))}</span>` : `<span class="badge">${esc(c.t('queue.normal'))}</span>`);
const outcomeLabel = (c: PageContext, o: string) => ((OUTCOMES as readonly string[]).includes(o) ? c.t(`case.outcome.${o}`) : o);
const alert = (text: string | undefined) => (text ? `<p class="alert" role="alert">${esc(text)}</p>` : '');
const notice = (text: string | undefined) => (text ? `<p class="note" role="status">${esc(text)}</p>` : '');
const csrf = (c: PageContext) => `<input type="hidden" name="_csrf" value="${esc(c.csrf)}">`;

// --- the queue -----------------------------------------------------------------------------------

/** Waiting cases first in the queue's own order (urgent first, then the oldest), then those held by someone, in the same order. */
export function queueOrder(cases: CaseSummary[]): CaseSummary[] {
  return [...cases].sort((a, b) => Number(a.claimedBy !== null) - Number(b.claimedBy !== null) || queueScore(a.urgent, a.openedAt) - queueScore(b.urgent, b.openedAt));
}

function queueRows(c: PageContext, cases: CaseSummary[], now: number): string {
  if (!cases.length) return `<tr><td colspan="6">${esc(c.t('queue.empty'))}</td></tr>`;
  const label = (k: string) => esc(c.t(`queue.col.${k}`));
  return cases
    .map(
      (x) =>
        `<tr${x.urgent ? ' class="urgent"' : ''}><th scope="row" data-label="${label('case')}"><a href="/staff/cases/${esc(x.id)}">${esc(x.id)}</a></th>` +
        `<td data-label="${label('urgency')}">${urgency(c, x.urgent)}</td>` +
        `<td data-label="${label('stage')}">${esc(stageLabel(c, x.stage))}</td>` +
        `<td data-label="${label('kind')}">${esc(c.t(`case.kind.${x.kind}`))}</td>` +
        `<td data-label="${label('age')}">${age(c, x.openedAt, now)}</td>` +
        `<td data-label="${label('claimed')}">${x.claimedBy ? esc(x.claimedBy) : `<span class="muted">${esc(c.t('queue.waiting'))}</span>`}</td></tr>`,
    )
    .join('\n');
}

export function queuePage(c: PageContext, o: { cases: CaseSummary[]; stage: string; now: number; notice?: string }): string {
  const options = [['', c.t('queue.allOpen')], ...STAGES.map((s) => [s, stageLabel(c, s)])]
    .map(([v, text]) => `<option value="${esc(v)}"${v === o.stage ? ' selected' : ''}>${esc(text)}</option>`)
    .join('');
  const waiting = o.cases.filter((x) => x.claimedBy === null && x.stage !== 'closed').length;
  const urgent = o.cases.filter((x) => x.urgent && x.stage !== 'closed').length;
  const col = (k: string) => `<th scope="col">${esc(c.t(`queue.col.${k}`))}</th>`;
  const body = `${notice(o.notice)}<p class="muted">${esc(c.t('queue.intro'))}</p>
<div class="toolbar">
<form class="filters" method="get" action="/staff/cases"><div><label for="stage">${esc(c.t('queue.stage'))}</label><select id="stage" name="stage">${options}</select></div><div><button type="submit">${esc(c.t('queue.filter'))}</button></div></form>
<form method="post" action="/staff/cases/claim">${csrf(c)}<button type="submit">${esc(c.t('queue.claimNext'))}</button></form>
</div>
<p id="queue-status" role="status">${esc(c.t('queue.count', { shown: o.cases.length, waiting, urgent }))}</p>
<table class="queue"><caption class="visually-hidden">${esc(c.t('queue.title'))}</caption><thead><tr>${['case', 'urgency', 'stage', 'kind', 'age', 'claimed'].map(col).join('')}</tr></thead>
<tbody id="queue-rows" data-refresh="${QUEUE_REFRESH_S}">
${queueRows(c, o.cases, o.now)}
</tbody></table>`;
  return layout(c, c.t('queue.title'), body, { scripts: ['queue.js'] });
}

// --- a case --------------------------------------------------------------------------------------

interface CaseView {
  case: StaffCase;
  events: CaseEvent[];
  partners: { id: string; label: string }[];
  staff: Staff;
  notice?: string;
  error?: string;
  /** What was typed in the note form, given back after a refusal. */
  draft?: { text: string; family: boolean };
  /** The casework sections (interview, packet, duplicates, safety mode): casework-pages.ts. */
  work?: CaseworkView;
}

function fields(c: PageContext, rows: [string, string | null][]): string {
  const shown = rows.filter(([, v]) => v !== null && v !== '');
  return `<dl class="fields">${shown.map(([k, v]) => `<dt>${esc(c.t(`case.field.${k}`))}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : esc(v));
const yesNo = (c: PageContext, v: boolean | null | undefined) => (v === null || v === undefined ? null : esc(c.t(v ? 'case.yes' : 'case.no')));

function eventLine(c: PageContext, e: CaseEvent, partners: Map<string, string>): string {
  const d = e.detail ?? {};
  let extra = '';
  if (e.type === 'stage' && typeof d.stage === 'string') extra = stageLabel(c, d.stage);
  else if (e.type === 'referred' && typeof d.partner === 'string') extra = partners.get(d.partner) ?? d.partner;
  else if (e.type === 'closed' && typeof d.outcome === 'string') extra = outcomeLabel(c, d.outcome);
  else if (e.type === 'noted') extra = c.t(d.family ? 'case.noteFamily' : 'case.noteInternal');
  else if (e.type === 'opened') extra = named(c, 'case.kind', String(d.kind)) + (d.urgent ? `, ${c.t('queue.urgent')}` : '');
  else if (e.type === 'erased' && typeof d.reason === 'string') extra = named(c, 'case.erasedReason', d.reason);
  const by = e.by === 'family' ? c.t('case.byFamily') : e.by === 'system' ? c.t('case.bySystem') : e.by;
  return `<li>${when(c, e.at)} · ${esc(named(c, 'case.event', e.type))}${extra ? `: ${esc(extra)}` : ''} <span class="muted">(${esc(by)})</span></li>`;
}

export function casePage(c: PageContext, v: CaseView): string {
  const x = v.case;
  const d = x.details;
  const names = new Map(v.partners.map((p) => [p.id, p.label]));
  const closed = x.stage === 'closed';
  const mine = x.claimedBy === v.staff.name;
  const summary = fields(c, [
    ['stage', esc(stageLabel(c, x.stage))],
    ['kind', esc(c.t(`case.kind.${x.kind}`))],
    ['urgency', urgency(c, x.urgent)],
    ['opened', when(c, x.openedAt)],
    ['updated', when(c, x.updatedAt)],
    ['claimedBy', x.claimedBy ? esc(x.claimedBy) : esc(c.t('queue.waiting'))],
    ['partner', x.partner ? esc(names.get(x.partner) ?? x.partner) : null],
    ['outcome', x.outcome ? esc(outcomeLabel(c, x.outcome)) : null],
    ['closedAt', x.closedAt ? when(c, x.closedAt) : null],
    ['consent', yesNo(c, x.consentShare)],
    ['lang', esc(x.lang === 'id' ? 'Bahasa Indonesia' : 'English')],
  ]);
  const report = d
    ? fields(c, [
        ['name', text(d.name)],
        ['age', text(d.age)],
        ['relation', text(d.relation)],
        ['country', d.country ? esc(country(c, d.country)) : null],
        ['city', text(d.city)],
        ['employer', text(d.employer)],
        ['recruiterContact', text(d.recruiterContact)],
        ['lastContact', text(d.lastContact)],
        ['story', text(d.story)],
        ['danger', yesNo(c, d.danger)],
        ['offerContacts', d.offerContacts?.length ? esc(String(d.offerContacts.length)) : null],
        ['offerText', text(d.offerText)],
        ['additions', d.additions?.length ? `<ul>${d.additions.map((a) => `<li>${when(c, a.at)}: ${esc(a.text)}</li>`).join('')}</ul>` : null],
      ])
    : `<p class="muted">${esc(c.t('case.purged'))}</p>`;
  const reporter = x.reporter
    ? fields(c, [
        ['channel', esc(x.reporter.channel)],
        ['chat', esc(x.reporter.chat)],
        ['contact', text(x.reporter.contact)],
      ])
    : `<p class="muted">${esc(c.t('case.noReporter'))}</p>`;
  const erased = x.erased.map((e) => `<li>${when(c, e.at)}: ${esc(named(c, 'case.erasedReason', e.reason))}</li>`).join('');
  const notes = x.notes.length
    ? `<ol class="notes">${x.notes
        .map((n) => `<li class="${n.family ? 'family' : 'internal'}"><p class="muted">${when(c, n.at)} · ${esc(n.by)} · ${esc(c.t(n.family ? 'case.noteFamily' : 'case.noteInternal'))}</p><p class="note-text">${esc(n.text)}</p></li>`)
        .join('')}</ol>`
    : `<p class="muted">${esc(c.t('case.noNotes'))}</p>`;
  const history = `<ol class="history">${v.events.map((e) => eventLine(c, e, names)).join('')}</ol>`;

  const post = (action: string) => `method="post" action="/staff/cases/${esc(x.id)}/${action}"`;
  const holder = mine ? c.t('case.yours') : x.claimedBy ? c.t('case.heldBy', { name: x.claimedBy }) : '';
  const claim = mine ? '' : `<form ${post('claim')}>${csrf(c)}<button type="submit">${esc(c.t('case.claim'))}</button></form>`;
  const family = v.draft?.family ?? false;
  const noteForm = `<form class="stack case-action" ${post('notes')}>${csrf(c)}
<h3>${esc(c.t('case.noteTitle'))}</h3>
<div><label for="note-text">${esc(c.t('case.noteText'))}</label><textarea id="note-text" name="text" required maxlength="${MAX_NOTE}" aria-describedby="note-hint">${esc(v.draft?.text ?? '')}</textarea><p id="note-hint" class="muted">${esc(c.t('case.noteHint', { max: MAX_NOTE }))}</p></div>
<fieldset><legend>${esc(c.t('case.visibility'))}</legend>
<label class="choice"><input type="radio" name="family" value="0"${family ? '' : ' checked'}> ${esc(c.t('case.visInternal'))}</label>
<label class="choice"><input type="radio" name="family" value="1"${family ? ' checked' : ''}> ${esc(c.t('case.visFamily'))}</label>
</fieldset>
<div><button type="submit">${esc(c.t('case.noteSubmit'))}</button></div></form>`;
  const partnerOptions = v.partners.map((p) => `<option value="${esc(p.id)}"${p.id === x.partner ? ' selected' : ''}>${esc(p.label)}</option>`).join('');
  const referForm = x.consentShare
    ? `<form class="stack case-action" ${post('refer')}>${csrf(c)}<h3>${esc(c.t('case.referTitle'))}</h3>
<div><label for="partner">${esc(c.t('case.partner'))}</label><select id="partner" name="partner" required><option value="">${esc(c.t('case.choose'))}</option>${partnerOptions}</select></div>
<div><button type="submit">${esc(c.t('case.referSubmit'))}</button></div></form>`
    : `<div class="case-action"><h3>${esc(c.t('case.referTitle'))}</h3><p class="muted">${esc(c.t('case.noConsent'))}</p></div>`;
  const stageForm = `<form class="stack case-action" ${post('stage')}>${csrf(c)}<h3>${esc(c.t('case.stageTitle'))}</h3>
<div><label for="new-stage">${esc(c.t('case.newStage'))}</label><select id="new-stage" name="stage" required aria-describedby="stage-hint">${OPEN_STAGES.map((s) => `<option value="${s}"${s === x.stage ? ' selected' : ''}>${esc(stageLabel(c, s))}</option>`).join('')}</select><p id="stage-hint" class="muted">${esc(c.t('case.stageHint'))}</p></div>
<div><button type="submit">${esc(c.t('case.stageSubmit'))}</button></div></form>`;
  const closeForm = `<form class="stack case-action" ${post('close')}>${csrf(c)}<h3>${esc(c.t('case.closeTitle'))}</h3>
<div><label for="outcome">${esc(c.t('case.outcomeLabel'))}</label><select id="outcome" name="outcome" required><option value="">${esc(c.t('case.choose'))}</option>${OUTCOMES.map((o) => `<option value="${o}">${esc(c.t(`case.outcome.${o}`))}</option>`).join('')}</select></div>
<div><button type="submit" class="danger">${esc(c.t('case.closeSubmit'))}</button></div></form>`;
  const actions = closed
    ? `<p class="muted">${esc(c.t('case.closedNote'))}</p>`
    : `${holder ? `<p>${esc(holder)}</p>` : ''}${claim}<div class="case-actions">${noteForm}${referForm}${stageForm}${closeForm}</div>`;

  const body = `<div class="case"><p><a href="/staff/cases">${esc(c.t('case.back'))}</a>${v.staff.role === 'admin' ? ` · <a href="/staff/cases/${esc(x.id)}/audit">${esc(c.t('case.auditLink'))}</a>` : ''}</p>
${alert(v.error)}${notice(v.notice)}
<section aria-labelledby="h-summary"><h2 id="h-summary">${esc(c.t('case.summary'))}</h2>${summary}</section>
<section aria-labelledby="h-report"><h2 id="h-report">${esc(c.t('case.report'))}</h2>${report}</section>
<section aria-labelledby="h-reporter"><h2 id="h-reporter">${esc(c.t('case.reporter'))}</h2>${reporter}${erased ? `<ul class="muted">${erased}</ul>` : ''}</section>
<section aria-labelledby="h-notes"><h2 id="h-notes">${esc(c.t('case.notes'))}</h2>${notes}</section>
<section aria-labelledby="h-actions"><h2 id="h-actions">${esc(c.t('case.actions'))}</h2>${actions}</section>
${v.work ? caseworkSections(c, x, v.work) : ''}
<section aria-labelledby="h-history"><h2 id="h-history">${esc(c.t('case.history'))}</h2>${history}</section></div>`;
  return layout(c, c.t('case.title', { id: x.id }), body);
}

export function auditPage(c: PageContext, id: string, entries: AuditEntry[]): string {
  const col = (k: string) => `<th scope="col">${esc(c.t(`case.auditCol.${k}`))}</th>`;
  const label = (k: string) => esc(c.t(`case.auditCol.${k}`));
  const rows = entries.length
    ? entries
        .map((e) => `<tr><td data-label="${label('at')}">${when(c, e.at)}</td><td data-label="${label('by')}">${esc(e.by)}</td><td data-label="${label('role')}">${esc(e.role)}</td><td data-label="${label('action')}">${esc(e.action)}</td><td data-label="${label('detail')}">${esc(e.detail ?? '')}</td></tr>`)
        .join('\n')
    : `<tr><td colspan="5">${esc(c.t('case.auditEmpty'))}</td></tr>`;
  const body = `<p><a href="/staff/cases/${esc(id)}">${esc(c.t('case.backToCase'))}</a></p><p class="muted">${esc(c.t('case.auditIntro'))}</p>
<table><thead><tr>${['at', 'by', 'role', 'action', 'detail'].map(col).join('')}</tr></thead><tbody>
${rows}
</tbody></table>`;
  return layout(c, c.t('case.auditTitle', { id }), body);
}

// --- routes --------------------------------------------------------------------------------------

/** A refusal of the service as a status and a message in the visitor's language; null for anything unexpected. */
export function refusal(c: PageContext, e: unknown): { status: number; text: string } | null {
  if (e instanceof NotFound) return { status: 404, text: c.t('case.error.notFound') };
  if (e instanceof Forbidden) return { status: 403, text: c.t('error.forbidden', { role: c.staff ? c.t(`role.${c.staff.role}`) : '' }) };
  if (e instanceof Invalid) {
    const key = { text: 'note', partner: 'partner', stage: 'stage', outcome: 'outcome', passport: 'passport', homeRegion: 'homeRegion', other: 'other' }[e.field] ?? 'invalid';
    return { status: 400, text: c.t(`case.error.${key}`, { max: MAX_NOTE }) };
  }
  if (e instanceof Conflict) {
    const held = /^held by (.+)$/.exec(e.message);
    if (held) return { status: 409, text: c.t('case.error.held', { name: held[1]! }) };
    const key = e.message === 'the case is closed' ? 'closed' : e.message.startsWith('already ') ? 'already' : e.message.includes('no referral packet') ? 'packet' : e.message.includes('did not agree') ? 'consent' : e.message === 'busy' ? 'busy' : e.message.startsWith('the reporter asked') ? 'forgotten' : 'conflict';
    return { status: 409, text: c.t(`case.error.${key}`) };
  }
  return null;
}

export function casePages(kit: ConsoleKit, deps: Pick<ConsoleDeps, 'hotline' | 'log'>): void {
  const hotline: HotlineService | undefined = deps.hotline;
  if (!hotline) return;
  const log = deps.log;
  const { router, requireRole, page, send } = kit;
  const workers = requireRole('agent', 'admin');
  const staffOf = (req: Request, res: Response) => page(req, res).staff!;
  const partners = (lang: 'id' | 'en') =>
    [...hotline.partners.values()].map((p) => ({ id: p.id, label: `${partnerLabel(p, lang)} (${p.country})` })).sort((a, b) => a.label.localeCompare(b.label, lang));

  /** Something went wrong that is nobody's refusal (Redis away): logged once, a page saying to try again. */
  const failed = (req: Request, res: Response, e: unknown, what: string, id?: string) => {
    log.error({ err: (e as Error).message, action: what, ...(id ? { case: id } : {}) }, 'staff console: hotline page failed');
    const c = page(req, res);
    send(res, 503, errorPage(c, c.t('case.error.unavailableTitle'), c.t('case.error.unavailable')));
  };

  const notFound = (req: Request, res: Response, id: string) => {
    const c = page(req, res);
    send(res, 404, errorPage(c, c.t('case.error.notFoundTitle'), c.t('case.error.notFound', { id })));
  };

  router.get('/cases', workers, async (req, res) => {
    const c = page(req, res);
    const asked = typeof req.query.stage === 'string' ? req.query.stage : '';
    const stage = (STAGES as readonly string[]).includes(asked) ? (asked as (typeof STAGES)[number]) : undefined;
    const filter = stage ? { stage, limit: QUEUE_LIMIT } : { open: true, limit: QUEUE_LIMIT };
    try {
      // Opening the page is audited (HotlineService.list). queue.js reading it again every few seconds
      // is not: the same listing, without personal fields, would otherwise write an audit entry every
      // 10 s for every open tab and push the reads of personal data out of the capped audit stream.
      const refresh = req.get('x-queue-refresh') === '1';
      if (refresh) await hotline.store.returnExpired(Date.now());
      const cases = refresh ? await hotline.store.list(filter) : await hotline.list(staffOf(req, res), filter);
      send(res, 200, queuePage(c, { cases: queueOrder(cases), stage: stage ?? '', now: Date.now(), ...(req.query.none === '1' ? { notice: c.t('queue.nextEmpty') } : {}) }));
    } catch (e) {
      failed(req, res, e, 'list');
    }
  });

  /** The next case of the queue (urgent first), as the API's POST /claim. */
  router.post('/cases/claim', workers, async (req, res) => {
    try {
      const next = await hotline.claim(staffOf(req, res));
      res.redirect(303, next ? `/staff/cases/${next.id}?done=claimed` : '/staff/cases?none=1');
    } catch (e) {
      failed(req, res, e, 'claim');
    }
  });

  /** The case page: read through the service (audited), with a notice, an error or the typed note. */
  const show = async (req: Request, res: Response, id: string, status: number, extra: Pick<CaseView, 'notice' | 'error' | 'draft'> = {}) => {
    const c = page(req, res);
    const staff = staffOf(req, res);
    try {
      const { case: x, events } = await hotline.show(staff, id);
      const work = await loadCasework(hotline, staff, x, c.lang);
      send(res, status, casePage(c, { case: x, events, partners: partners(c.lang), staff, work, ...extra }));
    } catch (e) {
      if (e instanceof NotFound) return notFound(req, res, id);
      failed(req, res, e, 'read', id);
    }
  };

  router.get('/cases/:id', workers, async (req, res) => {
    const id = normaliseCaseId(String(req.params.id));
    if (!id) return notFound(req, res, String(req.params.id).slice(0, 20));
    const c = page(req, res);
    const done = typeof req.query.done === 'string' && (DONE as readonly string[]).includes(req.query.done) ? c.t(`case.done.${req.query.done}`) : undefined;
    await show(req, res, id, 200, done ? { notice: done } : {});
  });

  router.get('/cases/:id/audit', requireRole('admin'), async (req, res) => {
    const id = normaliseCaseId(String(req.params.id));
    if (!id) return notFound(req, res, String(req.params.id).slice(0, 20));
    try {
      send(res, 200, auditPage(page(req, res), id, await hotline.auditOf(staffOf(req, res), id)));
    } catch (e) {
      failed(req, res, e, 'audit', id);
    }
  });

  /** A change to a case: done, then back to the case page (303) with what was done; refused, the case page with why. */
  const change = (action: string, run: (staff: Staff, id: string, body: unknown) => Promise<string>) =>
    router.post(`/cases/:id/${action}`, workers, async (req, res) => {
      const id = normaliseCaseId(String(req.params.id));
      if (!id) return notFound(req, res, String(req.params.id).slice(0, 20));
      try {
        const done = await run(staffOf(req, res), id, req.body);
        log.info({ case: id, action }, 'staff console: case changed');
        res.redirect(303, `/staff/cases/${id}?done=${done}`);
      } catch (e) {
        if (e instanceof NotFound) return notFound(req, res, id);
        const r = refusal(page(req, res), e);
        if (!r) return failed(req, res, e, action, id);
        const draft = action === 'notes' ? { text: field(req.body, 'text').slice(0, MAX_NOTE * 2), family: field(req.body, 'family') === '1' } : undefined;
        await show(req, res, id, r.status, { error: r.text, ...(draft ? { draft } : {}) });
      }
    });

  // The interview, duplicates, safety mode and the packet's downloads (casework-pages.ts).
  caseworkRoutes(kit, hotline, {
    change,
    caseOf: (req, res) => {
      const id = normaliseCaseId(String(req.params.id));
      if (!id) notFound(req, res, String(req.params.id).slice(0, 20));
      return id;
    },
    refused: async (req, res, id, e) => {
      if (e instanceof NotFound) return notFound(req, res, id);
      const r = refusal(page(req, res), e);
      if (!r) return failed(req, res, e, 'export', id);
      await show(req, res, id, r.status, { error: r.text });
    },
  });

  change('claim', async (staff, id) => {
    await hotline.claim(staff, id);
    return 'claimed';
  });
  change('notes', async (staff, id, body) => {
    const family = field(body, 'family') === '1';
    await hotline.note(staff, id, field(body, 'text'), family);
    return family ? 'notedFamily' : 'noted';
  });
  change('refer', async (staff, id, body) => {
    await hotline.refer(staff, id, field(body, 'partner'));
    return 'referred';
  });
  change('stage', async (staff, id, body) => {
    await hotline.stage(staff, id, field(body, 'stage'));
    return 'staged';
  });
  change('close', async (staff, id, body) => {
    const outcome = field(body, 'outcome');
    if (!(OUTCOMES as readonly string[]).includes(outcome)) throw new Invalid('outcome', 'choose an outcome from the list');
    await hotline.close(staff, id, outcome);
    return 'closed';
  });
}
