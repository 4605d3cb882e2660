// Staff accounts in the console (admins only): the list, a new account (name, role) that prints its
// one-time sign-in link, disabling an account, a new sign-in link; and the audit log of every change to
// an account (src/staff/audit.ts), which `npm run staff` writes to as well. A link is shown once, on the
// page that made it, and is never kept (Redis keeps its SHA-256 only).
import type { Request } from 'express';
import { ROLES } from '../../hotline/service.js';
import { AccountError, LINK_TTL_MS, type AccountInfo } from '../accounts.js';
import type { AccountAuditEntry } from '../audit.js';
import { BadStaff } from '../tokens.js';
import { alert, csrfField, esc, layout, type PageContext } from './html.js';
import type { ConsoleDeps, ConsoleKit } from './router.js';
import { table } from './widgets.js';

const STATE_KEY = { active: 'state.active', 'no-password': 'state.noPassword', disabled: 'state.disabled' } as const;

const day = (at: number) => `<time datetime="${esc(new Date(at).toISOString())}">${esc(new Date(at).toISOString().slice(0, 10))}</time>`;
const when = (at: number) => `<time datetime="${esc(new Date(at).toISOString())}">${esc(new Date(at).toISOString().slice(0, 16).replace('T', ' '))} UTC</time>`;

function usersPage(c: PageContext, accounts: AccountInfo[], o: { error?: string; done?: string } = {}): string {
  const roles = ROLES.map((r) => `<option value="${esc(r)}">${esc(c.t(`role.${r}`))}</option>`).join('');
  const action = (a: AccountInfo, path: string, label: string) =>
    `<form class="inline" method="post" action="/staff/users/${encodeURIComponent(a.name)}/${path}">${csrfField(c)}<button type="submit" class="secondary" aria-label="${esc(`${label}: ${a.name}`)}">${esc(label)}</button></form>`;
  const rows = accounts.map((a) => [
    esc(a.name),
    esc(c.t(`role.${a.role}`)),
    esc(c.t(STATE_KEY[a.state])),
    day(a.createdAt),
    `${action(a, 'reset-link', c.t('accounts.resetLink'))}${a.state !== 'disabled' && a.name !== c.staff?.name ? action(a, 'disable', c.t('accounts.disable')) : ''}`,
  ]);
  const body = `${alert(o.error)}${o.done ? `<p class="note" role="status">${esc(o.done)}</p>` : ''}
<p><a href="/staff/users/audit">${esc(c.t('accounts.auditLink'))}</a></p>
${table([c.t('users.name'), c.t('users.role'), c.t('users.state'), c.t('users.created'), c.t('accounts.actions')], rows)}
<h2>${esc(c.t('accounts.newTitle'))}</h2>
<form class="stack" method="post" action="/staff/users">
${csrfField(c)}
<div><label for="new-name">${esc(c.t('users.name'))}</label><input type="text" id="new-name" name="name" required maxlength="40" pattern="[a-z0-9][a-z0-9._\\-]{1,39}" autocapitalize="none" spellcheck="false" aria-describedby="new-name-hint"><p class="muted" id="new-name-hint">${esc(c.t('accounts.nameHint'))}</p></div>
<div><label for="new-role">${esc(c.t('users.role'))}</label><select id="new-role" name="role">${roles}</select></div>
<div><button type="submit">${esc(c.t('accounts.create'))}</button></div>
</form>
<p class="muted">${esc(c.t('users.cli'))}</p>`;
  return layout(c, c.t('users.title'), body);
}

/** The page showing a new sign-in link: the only time anyone sees it. */
function linkPage(c: PageContext, name: string, link: string, made: boolean): string {
  const body = `<p class="note" role="status">${esc(c.t(made ? 'accounts.created' : 'accounts.linkIssued', { name }))}</p>
<p>${esc(c.t('accounts.linkOnce', { name, hours: LINK_TTL_MS / 3600_000 }))}</p>
<div><label for="link">${esc(c.t('accounts.link'))}</label><input type="text" id="link" readonly value="${esc(link)}" class="link-box"></div>
<p><a href="/staff/users">${esc(c.t('accounts.back'))}</a></p>`;
  return layout(c, c.t('accounts.linkTitle'), body);
}

function auditPage(c: PageContext, entries: AccountAuditEntry[]): string {
  const detail = (d: string | undefined) => (!d ? '' : (ROLES as readonly string[]).includes(d) ? c.t(`role.${d}`) : d === 'link' ? c.t('accounts.detailLink') : d === 'enabled' ? c.t('accounts.detailEnabled') : d);
  const rows = entries.map((e) => [
    when(e.at),
    esc(e.by),
    esc(c.t(`accounts.action.${e.action}`)),
    esc(e.account),
    e.campaign ? `<a href="/staff/broadcasts/${esc(e.campaign)}">${esc(e.campaign)}</a>` : '',
    esc([detail(e.detail), e.chat ? c.t('accounts.chatHash', { hash: e.chat }) : ''].filter(Boolean).join(' · ')),
  ]);
  const body = `<p class="muted">${esc(c.t('accounts.auditIntro'))}</p>
${entries.length ? table([c.t('accounts.when'), c.t('accounts.by'), c.t('accounts.what'), c.t('accounts.account'), c.t('accounts.campaign'), c.t('accounts.detail')], rows) : `<p>${esc(c.t('accounts.auditEmpty'))}</p>`}
<p><a href="/staff/users">${esc(c.t('accounts.back'))}</a></p>`;
  return layout(c, c.t('accounts.auditTitle'), body);
}

/** The console's address for sign-in links: STAFF_CONSOLE_URL (as npm run staff prints them), else as the admin reached it. */
const origin = (req: Request, publicUrl: string | undefined) => publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

export function accountPages(kit: ConsoleKit, deps: ConsoleDeps): void {
  const { router, requireRole, page, send, staff } = kit;
  const { accounts, log } = deps;
  const admin = requireRole('admin');
  const link = (req: Request, token: string) => `${origin(req, deps.publicUrl)}/staff/welcome?token=${token}`;

  router.get('/users', admin, async (req, res) => {
    send(res, 200, usersPage(page(req, res), await accounts.list()));
  });

  router.get('/users/audit', admin, async (req, res) => {
    send(res, 200, auditPage(page(req, res), await accounts.audit.recent(200)));
  });

  /** Shows the list again with what went wrong (a name taken, of the wrong shape, unknown). */
  const refused = async (req: Request, res: Parameters<typeof send>[0], e: unknown) => {
    const c = page(req, res);
    if (e instanceof AccountError || e instanceof BadStaff) {
      const error = e instanceof AccountError && e.reason === 'exists' ? c.t('accounts.exists') : e instanceof AccountError && e.reason === 'unknown' ? c.t('accounts.unknown') : c.t('accounts.badName');
      return send(res, 400, usersPage(c, await accounts.list(), { error }));
    }
    throw e;
  };

  /** A change that gives the account a sign-in link (a new account, a new link): the page shows the link once. */
  const withLink = (path: string, made: boolean, nameOf: (req: Request) => string, change: (name: string, req: Request, by: string) => Promise<string>) =>
    router.post(path, admin, async (req, res) => {
      const name = nameOf(req);
      const by = staff(res).name;
      try {
        const token = await change(name, req, by);
        log.info({ staff: by, account: name }, made ? 'staff console: account made' : 'staff console: sign-in link issued');
        send(res, 200, linkPage(page(req, res), name, link(req, token), made));
      } catch (e) {
        await refused(req, res, e);
      }
    });
  withLink('/users', true, (req) => field(req, 'name'), (name, req, by) => accounts.add(name, field(req, 'role'), by));
  withLink('/users/:name/reset-link', false, (req) => String(req.params.name), (name, _req, by) => accounts.resetLink(name, by));

  router.post('/users/:name/disable', admin, async (req, res) => {
    const name = String(req.params.name);
    const by = staff(res).name;
    const c = page(req, res);
    // An admin does not lock themselves out by a slip: another admin (or the CLI) does it.
    if (name === by) return send(res, 400, usersPage(c, await accounts.list(), { error: c.t('accounts.notSelf') }));
    try {
      if (!(await accounts.disable(name, by))) return send(res, 400, usersPage(c, await accounts.list(), { error: c.t('accounts.unknown') }));
      log.info({ staff: by, account: name }, 'staff console: account disabled');
      send(res, 200, usersPage(c, await accounts.list(), { done: c.t('accounts.disabled', { name }) }));
    } catch (e) {
      await refused(req, res, e);
    }
  });
}
