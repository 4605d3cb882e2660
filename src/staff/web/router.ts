// The staff web console, mounted at /staff (the bearer-token JSON API at /staff/api is its own router,
// mounted before this one and left alone). Server-rendered pages; security in one place here:
// - sessions in Redis (sessions.ts), in a cookie that is HttpOnly, SameSite=Strict, Path=/ and named
//   __Host-wsp_staff over HTTPS (the __Host- prefix makes the browser insist on Secure, Path=/ and no
//   Domain). Over plain http (a local run, or a proxy that does not say X-Forwarded-Proto: https with
//   TRUST_PROXY set) a Secure cookie would not be sent back, so it is wsp_staff, without Secure;
// - a synchronizer CSRF token per session: every POST carries it (hidden field _csrf, or the
//   X-CSRF-Token header for fetch), else 403;
// - helmet's headers with a Content-Security-Policy that allows no inline script or style, and
//   Cache-Control: no-store on every page;
// - sign-in: at most SIGN_IN_PER_MINUTE attempts a minute from one IP address (429 + Retry-After),
//   and the per-name lock-out of accounts.ts;
// - requireRole(...roles): a GET without a session goes to the sign-in page (coming back after), a
//   role not among `roles` gets 403.
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { RedisClient } from '../../store/connection.js';
import { LANGS, type Lang } from '../../engine/types.js';
import { ROLES, type HotlineService, type Role, type Staff } from '../../hotline/service.js';
import type { Logger } from '../../log.js';
import { keyspace } from '../../store/keys.js';
import { AccountError, MAX_PASSWORD, MIN_PASSWORD, passwordProblem, type StaffAccounts } from '../accounts.js';
import type { Channel } from '../../channels/port.js';
import type { CampaignApi, StaffApiDeps } from '../api.js';
import { accountPages } from './accounts-pages.js';
import { myAccountPages } from './my-account.js';
import { ASSETS } from './assets.js';
import { broadcastPages } from './broadcasts.js';
import { dashboardPages } from './dashboard.js';
import { errorPage, homePage, signInPage, welcomePage, type PageContext } from './html.js';
import { casePages } from './cases.js';
import { ConsoleSessions, sameToken, type ConsoleSession } from './sessions.js';
import { loadConsoleTexts, translator } from './texts.js';

export interface ConsoleDeps {
  redis: RedisClient;
  prefix: string;
  accounts: StaffAccounts;
  log: Logger;
  /** STAFF_CONSOLE_URL: where staff open the console (the start of sign-in links); else the address a request came to. */
  publicUrl?: string;
  /** Campaigns, as the staff API has them (broadcasts.ts); absent, the broadcast pages say so. */
  broadcast?: () => Promise<CampaignApi>;
  /** The dashboard's numbers (dashboard.ts). */
  metrics?: StaffApiDeps['metrics'];
  /** The channels this process serves (a phone-linked channel's state on the dashboard). */
  channels?: ReadonlyMap<string, Channel>;
  /** The hotline: the queue and case pages (cases.ts), for agents and admins. */
  hotline?: HotlineService;
}

/** What a file of pages (broadcasts.ts, dashboard.ts, accounts-pages.ts) registers its routes with. */
export interface ConsoleKit {
  router: Router;
  /** Only signed-in staff of one of `roles` (a GET without a session goes to sign-in; another role: 403). */
  requireRole(...roles: Role[]): RequestHandler;
  /** The page's context: texts in the visitor's language, CSRF token, who is signed in. */
  page(req: Request, res: Response): PageContext;
  send(res: Response, status: number, html: string): void;
  /** Who is signed in (behind requireRole). */
  staff(res: Response): Staff;
}

export const SIGN_IN_PER_MINUTE = 10;
export const COOKIE_SECURE = '__Host-wsp_staff';
export const COOKIE_PLAIN = 'wsp_staff';

interface Locals {
  session: ConsoleSession | null;
  staff: Staff | null;
  lang: Lang;
}

const locals = (res: Response) => res.locals as unknown as Locals;

function cookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

const cookieName = (req: Request) => (req.secure ? COOKIE_SECURE : COOKIE_PLAIN);

/** Where to go after sign-in: a path of this console only (never another origin), else its home. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500) return '/staff/';
  return /^\/staff(?:[/?#]|$)/.test(next) && !/[\\\s]/.test(next) && !next.startsWith('//') ? next : '/staff/';
}

const formString = (body: unknown, field: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  return typeof v === 'string' ? v : '';
};

export function consoleRouter(deps: ConsoleDeps): Router {
  const { redis, accounts, log } = deps;
  const sessions = new ConsoleSessions(redis, deps.prefix);
  const rateKey = keyspace(deps.prefix).staffConsole.signInRate;
  const texts = loadConsoleTexts();
  const router = Router();

  // The JSON API has its own router (mounted before this one): nothing here applies to it.
  router.use('/api', (_req, _res, next) => next('router'));

  router.get('/assets/:file', (req, res, next) => {
    const a = ASSETS[String(req.params.file)];
    if (!a) return next();
    res.set({ 'Content-Type': a.type, 'Cache-Control': 'no-cache', ETag: a.etag, 'X-Content-Type-Options': 'nosniff' });
    if (req.headers['if-none-match'] === a.etag) return void res.status(304).end();
    res.send(a.body);
  });

  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      // The sign-in link's token is in the URL: never sent on to another site.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  router.use((req, res, next) => {
    res.set('Cache-Control', 'no-store');
    // The language: ?lang= (kept in a cookie), else the cookie, else Bahasa Indonesia.
    const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const fromCookie = cookies(req).get('lang');
    let lang: Lang = 'id';
    if (asked && (LANGS as readonly string[]).includes(asked)) {
      lang = asked as Lang;
      res.cookie('lang', lang, { path: '/staff', sameSite: 'lax', maxAge: 365 * 24 * 3600_000, secure: req.secure });
    } else if (fromCookie && (LANGS as readonly string[]).includes(fromCookie)) lang = fromCookie as Lang;
    Object.assign(res.locals, { session: null, staff: null, lang } satisfies Locals);
    next();
  });

  // The session, and who it belongs to now (an account disabled, or whose password was set again since, ends it).
  router.use(async (req, res, next) => {
    const id = cookies(req).get(cookieName(req));
    // The queue page's own refreshes (queue.js) are not activity: a desk left with the queue open still
    // signs out after SESSION_IDLE_MS.
    const session = id ? await sessions.get(id, req.get('X-Queue-Refresh') !== '1') : null;
    const l = locals(res);
    l.session = session;
    if (session?.name) {
      l.staff = await accounts.current(session.name, session.epoch ?? 0);
      if (!l.staff) {
        await sessions.destroy(session.id);
        l.session = null;
      }
    }
    next();
  });

  const setCookie = (req: Request, res: Response, s: ConsoleSession) =>
    res.cookie(cookieName(req), s.id, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });

  /** The session of this visitor, made (anonymous) if they have none: its CSRF token goes in the form. */
  const ensureSession = async (req: Request, res: Response): Promise<ConsoleSession> => {
    const l = locals(res);
    if (!l.session) {
      l.session = await sessions.create();
      setCookie(req, res, l.session);
    }
    return l.session;
  };

  /** A new session for who just signed in (a new id: the one before sign-in is dropped). */
  const signedIn = async (req: Request, res: Response, staff: Staff, epoch: number) => {
    const l = locals(res);
    if (l.session) await sessions.destroy(l.session.id);
    l.session = await sessions.create({ name: staff.name, epoch });
    l.staff = staff;
    setCookie(req, res, l.session);
  };

  const page = (req: Request, res: Response): PageContext => {
    const l = locals(res);
    return { t: translator(texts, l.lang), lang: l.lang, path: req.originalUrl.replace(/([?&])lang=[^&]*&?/, '$1').replace(/[?&]$/, ''), csrf: l.session?.csrf ?? '', staff: l.staff };
  };
  const send = (res: Response, status: number, html: string) => void res.status(status).type('html').send(html);

  // Forms up to 80 kB: the broadcast composer sends two texts of up to 3,500 characters each, and a
  // character outside ASCII takes up to 12 bytes percent-encoded.
  router.use(express.urlencoded({ extended: false, limit: '80kb' }), express.json({ limit: '16kb' }));

  // Every POST carries the session's CSRF token.
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const given = formString(req.body, '_csrf') || req.get('x-csrf-token') || '';
    const session = locals(res).session;
    if (session && sameToken(given, session.csrf)) return next();
    log.info({ path: req.path }, 'staff console: a POST without a valid CSRF token refused');
    const c = page(req, res);
    send(res, 403, errorPage(c, c.t('error.csrfTitle'), c.t('error.csrf')));
  });

  /** Only signed-in staff of one of `roles`. */
  function requireRole(...roles: Role[]): RequestHandler {
    return (req, res, next) => {
      const staff = locals(res).staff;
      if (!staff) {
        const back = req.method === 'GET' || req.method === 'HEAD' ? `?next=${encodeURIComponent(safeNext(req.originalUrl))}` : '';
        return res.redirect(req.method === 'GET' || req.method === 'HEAD' ? 302 : 303, `/staff/sign-in${back}`);
      }
      if (!roles.includes(staff.role)) {
        const c = page(req, res);
        return send(res, 403, errorPage(c, c.t('error.forbiddenTitle'), c.t('error.forbidden', { role: c.t(`role.${staff.role}`) })));
      }
      next();
    };
  }

  router.get('/sign-in', async (req, res) => {
    const next = safeNext(req.query.next);
    if (locals(res).staff) return res.redirect(303, next);
    await ensureSession(req, res);
    const c = page(req, res);
    send(res, 200, signInPage(c, { next, ...(req.query.out === '1' ? { notice: c.t('signIn.signedOut') } : {}) }));
  });

  router.post('/sign-in', async (req, res) => {
    const name = formString(req.body, 'name').trim();
    const next = safeNext(formString(req.body, 'next'));
    const c = page(req, res);
    // At most SIGN_IN_PER_MINUTE attempts a minute from one address.
    const key = rateKey(req.ip ?? 'unknown');
    const [[, count], [, ttl]] = (await redis.multi().incr(key).pttl(key).exec()) as [[null, number], [null, number]];
    if (ttl < 0) await redis.pexpire(key, 60_000);
    if (count > SIGN_IN_PER_MINUTE) {
      const seconds = Math.max(1, Math.ceil((ttl < 0 ? 60_000 : ttl) / 1000));
      res.set('Retry-After', String(seconds));
      return send(res, 429, signInPage(c, { next, name, error: c.t('signIn.rate', { seconds }) }));
    }
    const r = await accounts.signIn(name, formString(req.body, 'password'));
    if (!r.ok) {
      log.info({ reason: r.reason }, 'staff console: sign-in refused');
      return send(res, 401, signInPage(c, { next, name, error: c.t(r.reason === 'locked' ? 'signIn.locked' : 'signIn.invalid') }));
    }
    await signedIn(req, res, r.staff, r.epoch);
    log.info({ staff: r.staff.name }, 'staff console: signed in');
    res.redirect(303, next);
  });

  router.get('/welcome', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    await ensureSession(req, res);
    const account = await accounts.linkFor(token);
    send(res, account ? 200 : 410, welcomePage(page(req, res), { token, name: account?.name ?? null, min: MIN_PASSWORD }));
  });

  router.post('/welcome', async (req, res) => {
    const token = formString(req.body, 'token');
    const password = formString(req.body, 'password');
    const c = page(req, res);
    const account = await accounts.linkFor(token);
    const again = (error: string) => send(res, 400, welcomePage(c, { token, name: account?.name ?? null, min: MIN_PASSWORD, error }));
    if (!account) return send(res, 410, welcomePage(c, { token, name: null, min: MIN_PASSWORD }));
    const problem = passwordProblem(password);
    if (problem) return again(c.t(`welcome.${problem}`, { min: MIN_PASSWORD, max: MAX_PASSWORD }));
    if (password !== formString(req.body, 'again')) return again(c.t('welcome.mismatch'));
    try {
      const { staff, epoch } = await accounts.setPasswordWithLink(token, password);
      await signedIn(req, res, staff, epoch);
      log.info({ staff: staff.name }, 'staff console: password set through a sign-in link');
      res.redirect(303, '/staff/');
    } catch (e) {
      if (e instanceof AccountError && e.reason === 'link') return send(res, 410, welcomePage(c, { token, name: null, min: MIN_PASSWORD }));
      throw e;
    }
  });

  router.post('/sign-out', async (req, res) => {
    const l = locals(res);
    if (l.session) await sessions.destroy(l.session.id);
    res.clearCookie(cookieName(req), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/staff/sign-in?out=1');
  });

  // One kit for every file of pages (the hotline's cases.ts; broadcasts.ts, dashboard.ts, accounts-pages.ts).
  const kit: ConsoleKit = { router, requireRole, page, send, staff: (res) => locals(res).staff! };
  broadcastPages(kit, deps);
  dashboardPages(kit, deps);
  accountPages(kit, deps);
  myAccountPages(kit, deps);
  casePages(kit, deps);

  router.get('/', requireRole(...ROLES), (req, res) => {
    send(res, 200, homePage(page(req, res), locals(res).staff!));
  });

  router.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, next: NextFunction) => {
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) return void res.status(err.status).type('text').send('bad request');
    next(err);
  });

  return router;
}
