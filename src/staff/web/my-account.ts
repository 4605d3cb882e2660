// "My account" (/staff/account, every role): who is signed in, and their own test chat, the only chat
// their console campaign test sends go to (as the JSON API sends a token's tests only to the chat an
// admin registered with it). Setting or changing it is in the staff audit log (its channel, never the id).
import { AccountError, TEST_CHAT_USER } from '../accounts.js';
import { ownChat } from '../api.js';
import { alert, csrfField, esc, layout, type PageContext } from './html.js';
import type { ConsoleDeps, ConsoleKit } from './router.js';
import type { Staff } from '../../hotline/service.js';

export function myAccountPage(c: PageContext, o: { staff: Staff; channels: readonly string[]; error?: string; done?: string; typed?: { channel: string; user: string } }): string {
  const saved = ownChat(o.staff);
  const shown = o.typed ?? saved ?? { channel: o.channels[0] ?? '', user: '' };
  const body = `${alert(o.error)}${o.done ? `<p class="note" role="status">${esc(o.done)}</p>` : ''}
<p>${esc(c.t('home.who', { name: o.staff.name, role: c.t(`role.${o.staff.role}`) }))}</p>
<h2>${esc(c.t('me.testTitle'))}</h2>
<p>${esc(saved ? c.t('me.testIs', { channel: saved.channel, user: saved.user }) : c.t('me.testNone'))}</p>
<p class="muted">${esc(c.t('me.testHint'))}</p>
<form class="stack" method="post" action="/staff/account/test-chat">${csrfField(c)}
<div><label for="test-channel">${esc(c.t('me.channel'))}</label><select id="test-channel" name="channel">${o.channels.map((ch) => `<option value="${esc(ch)}"${ch === shown.channel ? ' selected' : ''}>${esc(ch)}</option>`).join('')}</select></div>
<div><label for="test-user">${esc(c.t('me.user'))}</label><input type="text" id="test-user" name="user" value="${esc(shown.user)}" required maxlength="100" autocomplete="off" spellcheck="false" aria-describedby="test-user-hint"><p class="muted" id="test-user-hint">${esc(c.t('me.userHint'))}</p></div>
<div><button type="submit">${esc(c.t('me.save'))}</button></div>
</form>
<p><a href="/staff/">${esc(c.t('error.home'))}</a></p>`;
  return layout(c, c.t('me.title'), body);
}

export function myAccountPages(kit: ConsoleKit, deps: ConsoleDeps): void {
  const { router, requireRole, page, send, staff } = kit;
  const { accounts, log } = deps;
  const everyone = requireRole('agent', 'campaign', 'admin');
  const channels = () => [...(deps.channels?.keys() ?? [])];

  router.get('/account', everyone, (req, res) => {
    const c = page(req, res);
    send(res, 200, myAccountPage(c, { staff: staff(res), channels: channels(), ...(req.query.done === '1' ? { done: c.t('me.saved') } : {}) }));
  });

  router.post('/account/test-chat', everyone, async (req, res) => {
    const c = page(req, res);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const typed = { channel: typeof form.channel === 'string' ? form.channel : '', user: typeof form.user === 'string' ? form.user.trim() : '' };
    const refuse = (error: string) => send(res, 400, myAccountPage(c, { staff: staff(res), channels: channels(), error, typed }));
    if (!channels().includes(typed.channel)) return refuse(c.t('me.badChannel'));
    if (!TEST_CHAT_USER.test(typed.user)) return refuse(c.t('me.badUser'));
    try {
      await accounts.setTestChat(staff(res).name, typed, staff(res).name);
    } catch (e) {
      if (e instanceof AccountError) return refuse(c.t('me.badUser'));
      throw e;
    }
    log.info({ staff: staff(res).name, channel: typed.channel }, 'staff console: test chat set');
    res.redirect(303, '/staff/account?done=1');
  });
}
