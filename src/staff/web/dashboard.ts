// The dashboard (every role) at /staff/dashboard: the last 30 days of src/staff/metrics.ts's counters,
// drawn on the server as bars and columns with their numbers in text (tables a screen reader reads;
// the SVG shapes are decoration with a title each). No chart library, nothing fetched by the browser.
// Where this process runs a channel linked through a phone (the channel port's phoneLink): its link's
// state, and for admins the QR code to link a phone (whoever scans it takes over the bot's number).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel, PhoneLink } from '../../channels/port.js';
import { contentDirs } from '../../content/index.js';
import { LANGS, type Lang } from '../../engine/types.js';
import { ROLES } from '../../hotline/service.js';
import { DASHBOARD_DAYS, VERDICTS, type Dashboard, type DayStats } from '../metrics.js';
import { esc, layout, type PageContext } from './html.js';
import { qrSvg } from './qr.js';
import type { ConsoleDeps, ConsoleKit } from './router.js';
import { fmt } from './widgets.js';


/** The red flags' titles as the chat shows them (locales/<lang>/checker.json), read once. */
let flagTitles: Record<Lang, Record<string, string>> | undefined;
function flagTitle(lang: Lang, id: string): string {
  flagTitles ??= Object.fromEntries(
    LANGS.map((l) => {
      const flags = (JSON.parse(readFileSync(join(contentDirs().locales, l, 'checker.json'), 'utf8')) as { flag?: Record<string, { title?: string }> }).flag ?? {};
      return [l, Object.fromEntries(Object.entries(flags).map(([k, v]) => [k, v.title ?? k]))];
    }),
  ) as Record<Lang, Record<string, string>>;
  return flagTitles[lang][id] ?? id;
}


/** A bar of `value` out of `max`, as wide as its share (decoration: the number is beside it in text). */
function bar(value: number, max: number): string {
  const w = max > 0 ? Math.max(value > 0 ? 0.5 : 0, (value / max) * 100) : 0;
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="${w.toFixed(2)}" height="10"/></svg>`;
}

/** A table of labelled bars, its caption the chart's title; an empty one says so. */
export function barChart(c: PageContext, title: string, rows: { label: string; value: number }[], id: string): string {
  if (!rows.length || rows.every((r) => r.value === 0)) return `<section class="chart" aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2><p class="muted">${esc(c.t('dashboard.none'))}</p></section>`;
  const max = Math.max(...rows.map((r) => r.value));
  const body = rows
    .map((r) => `<tr><th scope="row">${esc(r.label)}</th><td class="bar-cell">${bar(r.value, max)}</td><td class="num">${esc(fmt(c.lang, r.value))}</td></tr>`)
    .join('\n');
  return `<section class="chart" aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2>
<table class="bars"><thead><tr><th scope="col">${esc(c.t('dashboard.what'))}</th><th scope="col"><span class="sr-only">${esc(c.t('dashboard.bar'))}</span></th><th scope="col" class="num">${esc(c.t('dashboard.count'))}</th></tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

/** One column a day (oldest left), each with its day and number as its title; the numbers also in a table below. */
function dayColumns(c: PageContext, title: string, days: DayStats[], value: (d: DayStats) => number, id: string): string {
  const values = days.map(value);
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const w = 100 / days.length;
  const cols = days
    .map((d, i) => {
      const h = (values[i]! / max) * 40;
      return `<rect x="${(i * w + w * 0.1).toFixed(2)}" y="${(40 - h).toFixed(2)}" width="${(w * 0.8).toFixed(2)}" height="${h.toFixed(2)}"><title>${esc(`${d.day}: ${fmt(c.lang, values[i]!)}`)}</title></rect>`;
    })
    .join('');
  const rows = days.map((d, i) => `<tr><th scope="row">${esc(d.day)}</th><td class="num">${esc(fmt(c.lang, values[i]!))}</td></tr>`).join('');
  return `<section class="chart" aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2>
<p>${esc(c.t('dashboard.total', { n: fmt(c.lang, total), days: days.length }))}</p>
<svg class="columns" viewBox="0 0 100 42" preserveAspectRatio="none" role="img" aria-labelledby="${id}"><line x1="0" y1="40.5" x2="100" y2="40.5"/>${cols}</svg>
<p class="axis"><span>${esc(days[0]?.day ?? '')}</span><span>${esc(days.at(-1)?.day ?? '')}</span></p>
<details><summary>${esc(c.t('dashboard.perDay'))}</summary><table class="compact"><thead><tr><th scope="col">${esc(c.t('dashboard.day'))}</th><th scope="col" class="num">${esc(c.t('dashboard.count'))}</th></tr></thead><tbody>${rows}</tbody></table></details>
</section>`;
}

/** A channel's phone link, with the channel's name (the section is headed by it: no platform is named here). */
export type ChannelPhoneLink = PhoneLink & { channel: string };

function phoneSection(c: PageContext, link: ChannelPhoneLink): string {
  const state = c.t(`dashboard.link.${link.state}`);
  const qr =
    link.qr && c.staff?.role === 'admin'
      ? `<p>${esc(c.t('dashboard.scan'))}</p><div class="qr-box" data-refresh="15">${qrSvg(link.qr, c.t('dashboard.qrLabel'))}</div>`
      : link.state === 'qr_needed'
        ? `<p class="muted">${esc(c.t('dashboard.qrAdmins'))}</p>`
        : '';
  return `<section class="chart" aria-labelledby="phone-title"><h2 id="phone-title">${esc(c.t('dashboard.phoneLink', { channel: link.channel }))}</h2>
<p>${esc(c.t('dashboard.linkState'))}: <strong class="state state-${esc(link.state)}">${esc(state)}</strong></p>${qr}</section>`;
}

export function dashboardPage(c: PageContext, d: Dashboard, link: ChannelPhoneLink | null): string {
  const t = d.totals;
  const channels = [...new Set(d.days.flatMap((day) => Object.keys(day.conversations)))].sort();
  const conversations = channels.length
    ? channels.map((ch, i) => dayColumns(c, c.t('dashboard.conversationsOn', { channel: ch }), d.days, (day) => day.conversations[ch] ?? 0, `conv-${i}`)).join('\n')
    : barChart(c, c.t('dashboard.conversations'), [], 'conv-none');
  const sections = [
    link ? phoneSection(c, link) : '',
    `<p class="muted">${esc(c.t('dashboard.intro', { days: d.days.length, from: d.days[0]?.day ?? '', to: d.days.at(-1)?.day ?? '' }))}</p>`,
    barChart(c, c.t('dashboard.conversationsTotal'), channels.map((ch) => ({ label: ch, value: t.conversations[ch] ?? 0 })), 'conv-total'),
    conversations,
    barChart(c, c.t('dashboard.offers'), VERDICTS.map((v) => ({ label: c.t(`dashboard.verdict.${v}`), value: t.offers[v] ?? 0 })), 'offers'),
    barChart(c, c.t('dashboard.flags'), d.topFlags.map((f) => ({ label: flagTitle(c.lang, f.id), value: f.count })), 'flags'),
    barChart(c, c.t('dashboard.reported'), d.topReported.map((r) => ({ label: c.t('dashboard.contact', { hash: r.contact }), value: r.count })), 'reported'),
    `<p class="muted">${esc(c.t('dashboard.reportedNote'))}</p>`,
    barChart(c, c.t('dashboard.cases'), [
      { label: c.t('dashboard.opened'), value: t.cases.opened },
      { label: c.t('dashboard.urgent'), value: t.cases.urgent },
      { label: c.t('dashboard.referred'), value: t.cases.referred },
      { label: c.t('dashboard.closed'), value: t.cases.closed },
    ], 'cases'),
    dayColumns(c, c.t('dashboard.casesPerDay'), d.days, (day) => day.cases.opened, 'cases-day'),
    d.subscribers
      ? barChart(c, c.t('dashboard.subscribers'), Object.entries(d.subscribers).map(([lang, n]) => ({ label: c.t(`dashboard.lang.${lang}`), value: n })), 'subs')
      : '',
    barChart(c, c.t('dashboard.subscriptions'), [
      ...Object.entries(t.subscriptions.new).map(([lang, n]) => ({ label: c.t('dashboard.newIn', { lang: c.t(`dashboard.lang.${lang}`) }), value: n })),
      { label: c.t('dashboard.stopped'), value: t.subscriptions.stopped },
    ], 'subs-new'),
  ];
  return layout(c, c.t('dashboard.title'), sections.filter(Boolean).join('\n'), { scripts: ['pages.js'] });
}

/** The phone link of this process's channel that has one, or null when it runs none. */
export function phoneLink(channels: ReadonlyMap<string, Channel> | undefined): ChannelPhoneLink | null {
  for (const ch of channels?.values() ?? []) if (ch.phoneLink) return { channel: ch.name, ...ch.phoneLink() };
  return null;
}

export function dashboardPages(kit: ConsoleKit, deps: ConsoleDeps): void {
  const { router, requireRole, page, send } = kit;
  router.get('/dashboard', requireRole(...ROLES), async (req, res) => {
    const c = page(req, res);
    if (!deps.metrics) return send(res, 503, layout(c, c.t('dashboard.title'), `<p class="alert" role="alert">${esc(c.t('dashboard.unavailable'))}</p>`));
    send(res, 200, dashboardPage(c, await deps.metrics.dashboard(DASHBOARD_DAYS), phoneLink(deps.channels)));
  });
}
