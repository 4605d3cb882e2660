// Broadcasts in the console (campaign staff and admins; a hotline agent gets 403): the campaigns with
// their state, a composer (a text per language with a phone-sized preview, a segment and its size, a
// dry run, a test send to the staff member's own chat as set on their account page, a time), and a campaign's page with a live
// progress bar and pause / resume / cancel. Everything goes through what the JSON API uses
// (src/staff/api.ts: startCampaign, changeCampaign, testCampaign, each audited; Campaigns.dryRun;
// a test is handed to the durable outbox): there is one way to make and steer a campaign.
import type { Request, Response } from 'express';
import { CAMPAIGN_STATES, CampaignError, MAX_TEXT, type Campaign, type QuietHours } from '../../broadcast/campaigns.js';
import { LANGS, TOPICS, type Segment } from '../../broadcast/subscribers.js';
import type { DeliverResult } from '../../outbox/outbox.js';
import { CAMPAIGN_ACTIONS, CAMPAIGN_ID, CAMPAIGN_ROLES, changeCampaign, ownChat, SegmentBody, startCampaign, testCampaign, type CampaignAction, type CampaignApi } from '../api.js';
import { alert, csrfField, esc, layout, type PageContext } from './html.js';
import type { ConsoleDeps, ConsoleKit } from './router.js';
import { fmt as format, table } from './widgets.js';

/** Indonesia's western time (Jakarta), in which staff give a campaign's time: UTC+7, no daylight saving. */
const WIB = '+07:00';

/** What the composer holds (as typed: shown again after a dry run, a test or a refusal). */
export interface Draft {
  texts: Record<'id' | 'en', string>;
  lang: string;
  topics: string[];
  channel: string;
  region: string;
  destination: string;
  /** "2026-12-01T08:00" in WIB, or empty: now. */
  at: string;
  urgent: boolean;
  fallback: boolean;
}

const EMPTY: Draft = { texts: { id: '', en: '' }, lang: '', topics: [], channel: '', region: '', destination: '', at: '', urgent: false, fallback: false };

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

function draftFrom(src: Record<string, unknown>): Draft {
  return {
    texts: { id: str(src.text_id), en: str(src.text_en) },
    // Not "lang": that is the page's language (?lang=, router.ts).
    lang: str(src.segment_lang),
    topics: list(src.topic),
    channel: str(src.channel),
    region: str(src.region).trim().toUpperCase(),
    destination: str(src.destination).trim().toUpperCase(),
    at: str(src.at),
    urgent: src.urgent === 'on',
    fallback: src.fallback === 'on',
  };
}

/** The draft's segment, checked as the API checks it; a string says what is wrong. */
export function segmentOf(d: Pick<Draft, 'lang' | 'topics' | 'channel' | 'region' | 'destination'>): Segment | string {
  const raw = { ...(d.lang ? { lang: d.lang } : {}), ...(d.topics.length ? { topics: d.topics } : {}), ...(d.channel ? { channel: d.channel } : {}), ...(d.region ? { region: d.region } : {}), ...(d.destination ? { destination: d.destination } : {}) };
  const r = SegmentBody.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return `${issue.path.join('.') || 'segment'}: ${issue.message}`;
}

/** When a draft asks to start (ms), null for now; NaN when it is not a time. */
function startOf(d: Draft): number | null {
  if (!d.at) return null;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(d.at) ? Date.parse(`${d.at}:00${WIB}`) : NaN;
}

const sum = (counts: Record<string, Record<string, number>>) => Object.values(counts).reduce((a, per) => a + Object.values(per).reduce((x, y) => x + y, 0), 0);
const fmt = (c: PageContext, n: number) => format(c.lang, n);
const wib = (at: number) => `${new Date(at + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} WIB`;

function quietText(c: PageContext, q: QuietHours | null): string {
  if (!q || q.from === q.until) return c.t('broadcasts.quietOff');
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return c.t('broadcasts.quiet', { from: hh(q.from), until: hh(q.until) });
}

const option = (value: string, label: string, chosen: string) => `<option value="${esc(value)}"${value === chosen ? ' selected' : ''}>${esc(label)}</option>`;

function segmentLabel(c: PageContext, s: Segment): string {
  const parts = [
    s.lang ? c.t(`broadcasts.langName.${s.lang}`) : c.t('broadcasts.allLangs'),
    s.topics?.length ? s.topics.map((t) => c.t(`broadcasts.topic.${t}`)).join(' / ') : c.t('broadcasts.allTopics'),
    ...(s.channel ? [s.channel] : []),
    ...(s.region ? [`${c.t('broadcasts.region')}: ${s.region}`] : []),
    ...(s.destination ? [`${c.t('broadcasts.destination')}: ${s.destination}`] : []),
  ];
  return parts.join(' · ');
}

export interface ComposerView {
  draft: Draft;
  channels: readonly string[];
  quiet: QuietHours | null;
  /** Subscribers in the draft's segment now. */
  size: number | null;
  error?: string;
  dryRun?: Record<string, Record<string, number>>;
  test?: Partial<Record<string, DeliverResult>>;
  /** Where a test goes: the person's own chat, set on their account page; null: none set yet. */
  testChat: { channel: string; user: string } | null;
}

function composerPage(c: PageContext, v: ComposerView): string {
  const d = v.draft;
  const texts = LANGS.map(
    (lang) => `<div class="lang-text">
<label for="text_${lang}">${esc(c.t(`broadcasts.textIn.${lang}`))}</label>
<textarea id="text_${lang}" name="text_${lang}" rows="7" maxlength="${MAX_TEXT}" data-preview="preview_${lang}" data-counter="count_${lang}" lang="${lang}">${esc(d.texts[lang])}</textarea>
<p class="muted" id="count_${lang}" aria-live="polite" data-template="${esc(c.t('broadcasts.chars', { n: '{n}', max: MAX_TEXT }))}">${esc(c.t('broadcasts.chars', { n: d.texts[lang].length, max: MAX_TEXT }))}</p>
</div>
<figure class="phone" aria-label="${esc(c.t('broadcasts.previewOf', { lang: c.t(`broadcasts.langName.${lang}`) }))}"><figcaption>${esc(c.t('broadcasts.previewOf', { lang: c.t(`broadcasts.langName.${lang}`) }))}</figcaption><div class="screen"><p class="bubble" id="preview_${lang}" lang="${lang}" data-empty="${esc(c.t('broadcasts.previewEmpty'))}">${esc(d.texts[lang] || c.t('broadcasts.previewEmpty'))}</p></div></figure>`,
  ).join('\n');
  const topics = TOPICS.map((t) => `<label class="check"><input type="checkbox" name="topic" value="${t}"${d.topics.includes(t) ? ' checked' : ''}> ${esc(c.t(`broadcasts.topic.${t}`))}</label>`).join('');
  const dry = v.dryRun
    ? `<section class="note" role="status" aria-labelledby="dry-title"><h2 id="dry-title">${esc(c.t('broadcasts.dryTitle'))}</h2><p><strong id="dry-total">${esc(c.t('broadcasts.dryTotal', { n: fmt(c, sum(v.dryRun)) }))}</strong> ${esc(c.t('broadcasts.drySent'))}</p>
${table([c.t('broadcasts.channel'), c.t('broadcasts.language'), c.t('broadcasts.people')], Object.entries(v.dryRun).flatMap(([ch, per]) => Object.entries(per).map(([lang, n]) => [esc(ch), esc(c.t(`broadcasts.langName.${lang}`)), esc(fmt(c, n))])))}</section>`
    : '';
  const test = v.test
    ? `<p class="note" role="status">${esc(c.t('broadcasts.testDone', { results: Object.entries(v.test).map(([lang, r]) => `${c.t(`broadcasts.langName.${lang}`)}: ${c.t(`broadcasts.result.${r}`)}`).join(', ') }))}</p>`
    : '';
  const body = `${v.error ? alert(v.error) : ''}${dry}${test}
<form method="post" action="/staff/broadcasts/new" class="composer" id="composer">
${csrfField(c)}
<fieldset><legend>${esc(c.t('broadcasts.message'))}</legend>
<div class="texts">${texts}</div>
<label class="check"><input type="checkbox" name="fallback"${d.fallback ? ' checked' : ''}> ${esc(c.t('broadcasts.fallback'))}</label>
</fieldset>
<fieldset id="segment" data-size-url="/staff/broadcasts/size"><legend>${esc(c.t('broadcasts.segment'))}</legend>
<div class="row"><div><label for="segment_lang">${esc(c.t('broadcasts.language'))}</label><select id="segment_lang" name="segment_lang">${option('', c.t('broadcasts.allLangs'), d.lang)}${LANGS.map((l) => option(l, c.t(`broadcasts.langName.${l}`), d.lang)).join('')}</select></div>
<div><label for="channel">${esc(c.t('broadcasts.channel'))}</label><select id="channel" name="channel">${option('', c.t('broadcasts.allChannels'), d.channel)}${v.channels.map((ch) => option(ch, ch, d.channel)).join('')}</select></div></div>
<div role="group" aria-labelledby="topics-label"><p class="label" id="topics-label">${esc(c.t('broadcasts.topics'))}</p>${topics}<p class="muted">${esc(c.t('broadcasts.topicsHint'))}</p></div>
<div class="row"><div><label for="region">${esc(c.t('broadcasts.region'))}</label><input type="text" id="region" name="region" value="${esc(d.region)}" maxlength="2" pattern="[A-Za-z]{2}" autocapitalize="characters" aria-describedby="region-hint"><p class="muted" id="region-hint">${esc(c.t('broadcasts.regionHint'))}</p></div>
<div><label for="destination">${esc(c.t('broadcasts.destination'))}</label><input type="text" id="destination" name="destination" value="${esc(d.destination)}" maxlength="2" pattern="[A-Za-z]{2}" autocapitalize="characters" aria-describedby="destination-hint"><p class="muted" id="destination-hint">${esc(c.t('broadcasts.destinationHint'))}</p></div></div>
<p class="size">${esc(c.t('broadcasts.size'))}: <output id="segment-size" for="segment_lang channel region destination" aria-live="polite">${v.size === null ? '–' : esc(fmt(c, v.size))}</output></p>
</fieldset>
<fieldset><legend>${esc(c.t('broadcasts.when'))}</legend>
<div><label for="at">${esc(c.t('broadcasts.at'))}</label><input type="datetime-local" id="at" name="at" value="${esc(d.at)}" aria-describedby="at-hint"><p class="muted" id="at-hint">${esc(c.t('broadcasts.atHint'))}</p></div>
<p class="note">${esc(quietText(c, v.quiet))}</p>
<label class="check"><input type="checkbox" name="urgent"${d.urgent ? ' checked' : ''}> ${esc(c.t('broadcasts.urgent'))}</label>
</fieldset>
<div class="actions"><button type="submit" name="do" value="dry-run" class="secondary">${esc(c.t('broadcasts.dryRun'))}</button><button type="submit" name="do" value="schedule" data-confirm="${esc(c.t('broadcasts.confirmSchedule'))}">${esc(c.t('broadcasts.schedule'))}</button></div>
<fieldset><legend>${esc(c.t('broadcasts.testTitle'))}</legend>
${
    v.testChat
      ? `<p id="test-to">${esc(c.t('broadcasts.testTo', { channel: v.testChat.channel, user: v.testChat.user }))} <a href="/staff/account">${esc(c.t('broadcasts.testChange'))}</a></p><p class="muted">${esc(c.t('broadcasts.testHint'))}</p>`
      : `<p id="test-to">${esc(c.t('broadcasts.testNone'))} <a href="/staff/account">${esc(c.t('broadcasts.testSet'))}</a></p>`
  }
${v.testChat ? `<div><button type="submit" name="do" value="test" class="secondary">${esc(c.t('broadcasts.test'))}</button></div>` : ''}
</fieldset>
</form>`;
  return layout(c, c.t('broadcasts.newTitle'), body, { scripts: ['pages.js'] });
}

function listPage(c: PageContext, campaigns: Campaign[]): string {
  const rows = campaigns.map((k) => [
    `<a href="/staff/broadcasts/${esc(k.id)}">${esc(k.id)}</a>`,
    `<span class="state state-${esc(k.state)}">${esc(c.t(`broadcasts.state.${k.state}`))}</span>`,
    esc(segmentLabel(c, k.segment)),
    esc(wib(k.at)),
    esc(k.by),
    esc(`${fmt(c, k.counts.sent)} / ${fmt(c, k.counts.targets)}`),
  ]);
  const body = `<p><a class="button" href="/staff/broadcasts/new">${esc(c.t('broadcasts.new'))}</a></p>
${campaigns.length ? table([c.t('broadcasts.id'), c.t('broadcasts.stateLabel'), c.t('broadcasts.segment'), c.t('broadcasts.at'), c.t('broadcasts.by'), c.t('broadcasts.sentOf')], rows) : `<p>${esc(c.t('broadcasts.none'))}</p>`}`;
  return layout(c, c.t('broadcasts.title'), body);
}

/** A campaign's progress: what the run reported, else its counts. */
export interface Progress {
  state: Campaign['state'];
  done: number;
  total: number;
  counts: Campaign['counts'];
}

const SHOWN_COUNTS = ['targets', 'queued', 'sent', 'failed', 'unreachable', 'opted_out_since', 'weekly_cap', 'waiting_quiet_hours', 'no_text'] as const;

function campaignPage(c: PageContext, k: Campaign, p: Progress): string {
  const action = (a: CampaignAction) =>
    `<form class="inline" method="post" action="/staff/broadcasts/${esc(k.id)}/${a}"${a === 'cancel' ? ` data-confirm="${esc(c.t('broadcasts.confirmCancel'))}"` : ''}>${csrfField(c)}<button type="submit"${a === 'cancel' ? ' class="danger"' : ' class="secondary"'}>${esc(c.t(`broadcasts.action.${a}`))}</button></form>`;
  const actions: CampaignAction[] = k.state === 'paused' ? ['resume', 'cancel'] : k.state === 'running' || k.state === 'scheduled' ? ['pause', 'cancel'] : [];
  const counts = SHOWN_COUNTS.map((n) => [esc(c.t(`broadcasts.count.${n}`)), `<span class="num" data-count="${n}">${esc(fmt(c, k.counts[n]))}</span>`]);
  const texts = LANGS.filter((l) => k.texts[l]).map((l) => `<figure class="phone"><figcaption>${esc(c.t('broadcasts.previewOf', { lang: c.t(`broadcasts.langName.${l}`) }))}</figcaption><div class="screen"><p class="bubble" lang="${l}">${esc(k.texts[l]!)}</p></div></figure>`).join('');
  const body = `<dl class="facts">
<dt>${esc(c.t('broadcasts.stateLabel'))}</dt><dd><strong id="campaign-state" class="state state-${esc(k.state)}" data-labels="${esc(JSON.stringify(Object.fromEntries(CAMPAIGN_STATES.map((s) => [s, c.t(`broadcasts.state.${s}`)]))))}">${esc(c.t(`broadcasts.state.${k.state}`))}</strong></dd>
<dt>${esc(c.t('broadcasts.segment'))}</dt><dd>${esc(segmentLabel(c, k.segment))}</dd>
<dt>${esc(c.t('broadcasts.at'))}</dt><dd>${esc(wib(k.at))}${k.urgent ? ` · ${esc(c.t('broadcasts.urgentShort'))}` : ''}</dd>
<dt>${esc(c.t('broadcasts.by'))}</dt><dd>${esc(k.by)}</dd>
</dl>
<div class="progress" data-progress-url="/staff/broadcasts/${esc(k.id)}/progress">
<label for="progress">${esc(c.t('broadcasts.progress'))}</label>
<progress id="progress" max="${Math.max(1, p.total)}" value="${p.done}">${esc(`${p.done} / ${p.total}`)}</progress>
<p id="progress-text" aria-live="polite" data-template="${esc(c.t('broadcasts.progressText', { done: '{done}', total: '{total}' }))}">${esc(c.t('broadcasts.progressText', { done: fmt(c, p.done), total: fmt(c, p.total) }))}</p>
</div>
${actions.length ? `<div class="actions">${actions.map(action).join('')}</div>` : ''}
<h2>${esc(c.t('broadcasts.counts'))}</h2>
${table([c.t('broadcasts.what'), c.t('broadcasts.people')], counts, { compact: true })}
<h2>${esc(c.t('broadcasts.message'))}</h2>
<div class="texts">${texts}</div>
<p><a href="/staff/broadcasts">${esc(c.t('broadcasts.back'))}</a></p>`;
  return layout(c, c.t('broadcasts.campaignTitle', { id: k.id }), body, { scripts: ['pages.js'] });
}

async function progressOf(b: CampaignApi, k: Campaign): Promise<Progress> {
  const p = await b.queue.progress(k.id);
  const total = p?.total ?? k.counts.targets;
  const done = k.state === 'done' ? total : (p?.done ?? 0);
  return { state: k.state, done, total, counts: k.counts };
}

export function broadcastPages(kit: ConsoleKit, deps: ConsoleDeps): void {
  const { router, requireRole, page, send, staff } = kit;
  const { log } = deps;
  const allowed = requireRole(...CAMPAIGN_ROLES);
  const unavailable = (req: Request, res: Response) => {
    const c = page(req, res);
    send(res, 503, layout(c, c.t('broadcasts.title'), alert(c.t('broadcasts.unavailable'))));
  };
  const parts = deps.broadcast;
  /** The campaign of the path, or a 404 page. */
  const campaignOf = async (req: Request, res: Response, b: CampaignApi): Promise<Campaign | null> => {
    const id = String(req.params.id);
    const k = CAMPAIGN_ID.test(id) ? await b.campaigns.get(id) : null;
    if (!k) {
      const c = page(req, res);
      send(res, 404, layout(c, c.t('broadcasts.title'), alert(c.t('broadcasts.notFound', { id }))));
    }
    return k;
  };
  const view = async (res: Response, b: CampaignApi, draft: Draft, more: Partial<ComposerView> = {}): Promise<ComposerView> => {
    const seg = segmentOf(draft);
    return { draft, channels: b.channels, quiet: b.campaigns.quietHours, size: typeof seg === 'string' ? null : sum(await b.campaigns.dryRun(seg, b.channels)), testChat: ownChat(staff(res)), ...more };
  };

  router.get('/broadcasts', allowed, async (req, res) => {
    if (!parts) return unavailable(req, res);
    send(res, 200, listPage(page(req, res), await (await parts()).campaigns.list(50)));
  });

  router.get('/broadcasts/new', allowed, async (req, res) => {
    if (!parts) return unavailable(req, res);
    const b = await parts();
    send(res, 200, composerPage(page(req, res), await view(res, b, EMPTY)));
  });

  /** The size of a segment now (the composer's script asks as the segment is changed). */
  router.get('/broadcasts/size', allowed, async (req, res) => {
    if (!parts) return void res.status(503).json({ error: 'campaigns are not served here' });
    const b = await parts();
    const seg = segmentOf(draftFrom(req.query as Record<string, unknown>));
    if (typeof seg === 'string') return void res.status(400).json({ error: seg });
    const counts = await b.campaigns.dryRun(seg, b.channels);
    res.json({ total: sum(counts), counts });
  });

  router.post('/broadcasts/new', allowed, async (req, res) => {
    if (!parts) return unavailable(req, res);
    const b = await parts();
    const c = page(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const draft = draftFrom(body);
    const again = async (status: number, more: Partial<ComposerView>) => send(res, status, composerPage(c, await view(res, b, draft, more)));
    const by = staff(res).name;
    try {
      if (body.do === 'test') {
        // Only to the person's own chat, set on their account page (as the API's: their token's chat).
        const to = ownChat(staff(res));
        if (!to) return again(400, { error: c.t('broadcasts.testNone') });
        return again(200, { test: await testCampaign(b, { texts: draft.texts }, to, by, log) });
      }
      const segment = segmentOf(draft);
      if (typeof segment === 'string') return again(400, { error: c.t('broadcasts.badSegment', { problem: segment }) });
      if (body.do === 'dry-run') return again(200, { dryRun: await b.campaigns.dryRun(segment, b.channels) });
      const at = startOf(draft);
      if (at !== null && Number.isNaN(at)) return again(400, { error: c.t('broadcasts.badTime') });
      const k = await startCampaign(b, { texts: draft.texts, segment, urgent: draft.urgent, fallbackToId: draft.fallback, ...(at !== null ? { at } : {}), by }, log);
      res.redirect(303, `/staff/broadcasts/${k.id}`);
    } catch (e) {
      if (e instanceof CampaignError) return again(400, { error: c.t('broadcasts.refused', { why: e.message }) });
      throw e;
    }
  });

  router.get('/broadcasts/:id', allowed, async (req, res) => {
    if (!parts) return unavailable(req, res);
    const b = await parts();
    const k = await campaignOf(req, res, b);
    if (k) send(res, 200, campaignPage(page(req, res), k, await progressOf(b, k)));
  });

  /** The progress bar's numbers (polled by the campaign page's script). */
  router.get('/broadcasts/:id/progress', allowed, async (req, res) => {
    if (!parts) return void res.status(503).json({ error: 'campaigns are not served here' });
    const b = await parts();
    const id = String(req.params.id);
    const k = CAMPAIGN_ID.test(id) ? await b.campaigns.get(id) : null;
    if (!k) return void res.status(404).json({ error: 'no such campaign' });
    res.json(await progressOf(b, k));
  });

  for (const action of Object.keys(CAMPAIGN_ACTIONS) as CampaignAction[]) {
    router.post(`/broadcasts/:id/${action}`, allowed, async (req, res) => {
      if (!parts) return unavailable(req, res);
      const b = await parts();
      const k = await campaignOf(req, res, b);
      if (!k) return;
      await changeCampaign(b, k.id, action, staff(res).name, log);
      res.redirect(303, `/staff/broadcasts/${k.id}`);
    });
  }
}
