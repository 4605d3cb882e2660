// The console's pages, rendered on the server. Every text and every value goes through esc(): nothing
// a person typed, nor any text, reaches the page unescaped. No inline script or style (see assets.ts).
import type { Lang } from '../../engine/types.js';
import type { Staff } from '../../hotline/service.js';
import type { T } from './texts.js';

export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageContext {
  t: T;
  lang: Lang;
  /** The page's own path (for the language links). */
  path: string;
  csrf: string;
  staff: Staff | null;
}

/** A hidden CSRF field for a POST form. */
export const csrfField = (c: PageContext) => `<input type="hidden" name="_csrf" value="${esc(c.csrf)}">`;

function langLinks(c: PageContext): string {
  const other: Lang = c.lang === 'id' ? 'en' : 'id';
  const sep = c.path.includes('?') ? '&' : '?';
  const label = other === 'id' ? 'Bahasa Indonesia' : 'English';
  return `<a href="${esc(`${c.path}${sep}lang=${other}`)}" lang="${other}" hreflang="${other}">${esc(label)}</a>`;
}

/** `scripts`: more files of /staff/assets/ (assets.ts) this page runs, besides console.js. */
export function layout(c: PageContext, title: string, body: string, opts: { scripts?: string[] } = {}): string {
  const nav = c.staff
    ? `<span>${esc(c.staff.name)}</span><form method="post" action="/staff/sign-out">${csrfField(c)}<button class="link" type="submit">${esc(c.t('signOut'))}</button></form>`
    : '';
  return `<!doctype html>
<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(c.csrf)}">
<title>${esc(title)} · ${esc(c.t('title'))}</title>
<link rel="stylesheet" href="/staff/assets/console.css">
<script src="/staff/assets/console.js" defer></script>
${(opts.scripts ?? []).map((f) => `<script src="/staff/assets/${esc(f)}" defer></script>\n`).join('')}</head>
<body>
<a class="skip" href="#main">${esc(c.t('skip'))}</a>
<header><a class="brand" href="/staff/">${esc(c.t('title'))}</a><nav aria-label="${esc(c.t('language'))}">${langLinks(c)}${nav}</nav></header>
<main id="main" tabindex="-1">
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export const alert = (text: string | undefined) => (text ? `<p class="alert" role="alert">${esc(text)}</p>` : '');

export function signInPage(c: PageContext, o: { next: string; name?: string; error?: string; notice?: string }): string {
  const body = `${alert(o.error)}${o.notice ? `<p class="note" role="status">${esc(o.notice)}</p>` : ''}
<form class="stack" method="post" action="/staff/sign-in">
${csrfField(c)}<input type="hidden" name="next" value="${esc(o.next)}">
<div><label for="name">${esc(c.t('signIn.name'))}</label><input type="text" id="name" name="name" value="${esc(o.name ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="40"${o.name ? '' : ' autofocus'}></div>
<div><label for="password">${esc(c.t('signIn.password'))}</label><input type="password" id="password" name="password" autocomplete="current-password" required maxlength="1024"${o.name ? ' autofocus' : ''}></div>
<div><button type="submit">${esc(c.t('signIn.submit'))}</button></div>
</form>`;
  return layout(c, c.t('signIn.title'), body);
}

export function welcomePage(c: PageContext, o: { token: string; name: string | null; min: number; error?: string }): string {
  if (o.name === null) return layout(c, c.t('welcome.title'), alert(c.t('welcome.invalidLink')));
  const body = `<p>${esc(c.t('welcome.intro', { name: o.name, min: o.min }))}</p>${alert(o.error)}
<form class="stack" method="post" action="/staff/welcome">
${csrfField(c)}<input type="hidden" name="token" value="${esc(o.token)}">
<input type="text" name="username" value="${esc(o.name)}" autocomplete="username" hidden>
<div><label for="password">${esc(c.t('welcome.password'))}</label><input type="password" id="password" name="password" autocomplete="new-password" required minlength="${o.min}" maxlength="1024" autofocus></div>
<div><label for="password-again">${esc(c.t('welcome.again'))}</label><input type="password" id="password-again" name="again" autocomplete="new-password" required minlength="${o.min}" maxlength="1024" data-mismatch="${esc(c.t('welcome.mismatch'))}"></div>
<div><button type="submit">${esc(c.t('welcome.submit'))}</button></div>
</form>`;
  return layout(c, c.t('welcome.title'), body);
}

export function homePage(c: PageContext, staff: Staff): string {
  const sections = [
    ...(staff.role !== 'campaign' ? [`<li><a href="/staff/cases">${esc(c.t('home.hotline'))}</a></li>`] : []),
    ...(staff.role !== 'agent' ? [`<li><a href="/staff/broadcasts">${esc(c.t('home.broadcasts'))}</a></li>`] : []),
    `<li><a href="/staff/dashboard">${esc(c.t('home.dashboard'))}</a></li>`,
    ...(staff.role === 'admin' ? [`<li><a href="/staff/users">${esc(c.t('home.users'))}</a></li>`] : []),
    `<li><a href="/staff/account">${esc(c.t('home.account'))}</a></li>`,
  ];
  const body = `<p>${esc(c.t('home.who', { name: staff.name, role: c.t(`role.${staff.role}`) }))}</p>
<h2>${esc(c.t('home.sections'))}</h2>
<ul class="sections">${sections.join('')}</ul>`;
  return layout(c, c.t('home.title'), body);
}

export function errorPage(c: PageContext, title: string, text: string): string {
  return layout(c, title, `${alert(text)}<p><a href="/staff/">${esc(c.t('error.home'))}</a></p>`);
}
