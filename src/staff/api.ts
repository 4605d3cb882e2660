// The staff JSON API, mounted at /staff/api: hotline agents and admins work cases with a bearer token
// (src/staff/tokens.ts). Every read of a case and every change is audited by HotlineService; this file
// only authenticates, checks the shape of requests and turns the service's typed errors into statuses.
// Bodies are never logged (they carry what families wrote).
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { normaliseCaseId, type CaseFilter } from '../hotline/cases.js';
import { partnerLabel } from '../hotline/partners.js';
import { Conflict, Forbidden, Invalid, NotFound, type HotlineService, type Role, type Staff } from '../hotline/service.js';
import { STAGES } from '../hotline/types.js';
import type { Logger } from '../log.js';
import { CampaignError, MAX_TEXT, type Campaign, type CampaignInput, type Campaigns, type CampaignState } from '../broadcast/campaigns.js';
import type { CampaignQueue } from '../broadcast/queue.js';
import type { CampaignAudit, CampaignAuditAction } from './audit.js';
import { LANGS, TOPICS } from '../broadcast/subscribers.js';
import { MAX_DASHBOARD_DAYS, type Dashboard } from './metrics.js';
import { STAFF_NAME, type StaffTokens } from './tokens.js';
import { MAX_MEDIA_BYTES, MediaError, type MediaStore } from '../store/media.js';
import type { MediaRef } from '../engine/types.js';
import { caseworkRoutes } from './casework-api.js';

export interface StaffApiDeps {
  hotline: HotlineService;
  tokens: StaffTokens;
  log: Logger;
  /** Campaigns (campaign staff and admins); absent, the campaign routes answer 503. */
  broadcast?: () => Promise<CampaignApi>;
  /** The dashboard's numbers (src/staff/metrics.ts); absent, GET /dashboard answers 503. */
  metrics?: { dashboard(days?: number): Promise<Dashboard> };
}

/** What the campaign routes use of the broadcast parts. */
export interface CampaignApi {
  campaigns: Campaigns;
  queue: CampaignQueue;
  /** Pictures and videos for campaigns. */
  media: MediaStore;
  /** The channels this deployment serves (for dry runs). */
  channels: readonly string[];
  /** The staff audit log: every campaign made, paused, resumed or cancelled, every test send. */
  audit: CampaignAudit;
}

/** A campaign's id: C, its day (yymmdd), six hex digits. */
export const CAMPAIGN_ID = /^C\d{6}-[0-9A-F]{6}$/;

/** The largest request body accepted. */
export const BODY_LIMIT = 16 * 1024;

const REALM = 'Bearer realm="waspada-staff"';

/** A failure the edge answers with its status; `field` names what was wrong in the request. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    /** What the log names: a field of the schema, never a key the client made up (it may be anything they wrote). */
    readonly logged = field,
  ) {
    super(message);
  }
}

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const ListQuery = z
  .object({
    stage: z.enum(STAGES),
    open: flag,
    urgent: flag,
    claimedBy: z.string().regex(STAFF_NAME, 'a staff name'),
    queued: flag,
    limit: z.coerce.number().int().min(1).max(500),
  })
  .partial()
  .strict();

const DashboardQuery = z.object({ days: z.coerce.number().int().min(1).max(MAX_DASHBOARD_DAYS) }).partial().strict();

const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000) }).partial().strict();

const NoteBody = z.object({ text: z.string().max(8000), family: z.boolean().optional() }).strict();
const ReferBody = z.object({ partner: z.string().max(100) }).strict();
const StageBody = z.object({ stage: z.string().max(40) }).strict();
const CloseBody = z.object({ outcome: z.string().max(100) }).strict();

/** A segment as the API and the console take it. */
export const SegmentBody = z
  .object({
    lang: z.enum(LANGS),
    topics: z.array(z.enum(TOPICS)).min(1).max(TOPICS.length),
    channel: z.string().regex(/^[a-z-]{2,30}$/),
    region: z.string().regex(/^[A-Z]{2}$/, 'a province code (ISO 3166-2:ID, e.g. NB)'),
    destination: z.string().regex(/^[A-Z]{2}$/, 'a country code (ISO 3166-1, e.g. MY)'),
  })
  .partial()
  .strict();
const CampaignBody = z
  .object({
    texts: z.object({ id: z.string().max(MAX_TEXT), en: z.string().max(MAX_TEXT) }).partial().strict(),
    segment: SegmentBody,
    at: z.string().datetime({ offset: true }).optional(),
    urgent: z.boolean().optional(),
    fallbackToId: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    /** A file uploaded with POST /staff/api/media (its id). */
    media: z.string().regex(/^[0-9a-f]{64}$/, 'the id POST /staff/api/media answered').optional(),
  })
  .strict();
const TestBody = z
  .object({
    texts: z.object({ id: z.string().max(MAX_TEXT), en: z.string().max(MAX_TEXT) }).partial().strict(),
    media: z.string().regex(/^[0-9a-f]{64}$/, 'the id POST /staff/api/media answered').optional(),
    /** The staff member's own chat (registered with their token); it may be left out. */
    to: z.object({ channel: z.string().regex(/^[a-z-]{2,30}$/), user: z.string().min(1).max(100) }).strict().optional(),
  })
  .strict();

/** Who may send campaigns: campaign staff and admins. */
export const CAMPAIGN_ROLES: readonly Role[] = ['campaign', 'admin'];

/** Stores a campaign and puts it on the queue for its time (the API and the console). */
export async function startCampaign(b: CampaignApi, input: CampaignInput, log: Logger): Promise<Campaign> {
  const c = await b.campaigns.create(input);
  await b.queue.schedule(c);
  await b.audit.record(input.by, 'campaign-created', c.id, `${c.urgent ? 'urgent, ' : ''}starts ${new Date(c.at).toISOString()}`);
  log.info({ staff: input.by, campaign: c.id }, 'campaign created');
  return c;
}

export const CAMPAIGN_ACTIONS = { pause: 'paused', resume: 'running', cancel: 'cancelled' } as const;
export type CampaignAction = keyof typeof CAMPAIGN_ACTIONS;
const AUDITED = { pause: 'campaign-paused', resume: 'campaign-resumed', cancel: 'campaign-cancelled' } as const satisfies Record<CampaignAction, CampaignAuditAction>;

/** The staff member's own chat (a token's --chat, a console account's test chat): the only one their test sends go to. */
export function ownChat(staff: Staff): { channel: string; user: string } | null {
  const sep = staff.chat?.indexOf(':') ?? -1;
  return sep > 0 ? { channel: staff.chat!.slice(0, sep), user: staff.chat!.slice(sep + 1) } : null;
}

/** A test send to one chat (the staff member's own: the API's and the console's callers check it), audited. */
export async function testCampaign(b: CampaignApi, input: Parameters<Campaigns['testSend']>[0], to: { channel: string; user: string }, by: string, log: Logger): Promise<Awaited<ReturnType<Campaigns['testSend']>>> {
  const results = await b.campaigns.testSend(input, to);
  await b.audit.testSent(by, to);
  log.info({ staff: by, channel: to.channel }, 'campaign test sent to the staff member’s own chat');
  return results;
}

/** Pauses, resumes or cancels a campaign (a started one resumed goes on at once); its new state. */
export async function changeCampaign(b: CampaignApi, id: string, action: CampaignAction, by: string, log: Logger): Promise<CampaignState> {
  const state = await b.campaigns.setState(id, CAMPAIGN_ACTIONS[action]);
  // Only a campaign that had started is woken: one resumed before its time waits for it (its job is
  // delayed until then; waking it would start it at once).
  if (action === 'resume' && state === 'running') await b.queue.wake(id);
  await b.audit.record(by, AUDITED[action], id, state);
  log.info({ staff: by, campaign: id, state }, `campaign ${action}`);
  return state;
}

/** The first problem zod found, as a 400 naming the field. */
function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, where: 'query' | 'body'): z.output<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.join('.') || where;
  const message = issue.code === 'unrecognized_keys' ? `unknown ${where} field "${field}"` : `${field}: ${issue.message}`;
  // An unknown key's path is its object's (the key itself is not in it); a record's keys come after its field.
  throw new HttpError(400, message, field, issue.path.length ? String(issue.path[0]) : where);
}

function caseId(req: Request): string {
  const raw = String(req.params.id ?? '');
  const id = normaliseCaseId(raw);
  if (!id) throw new HttpError(400, 'a case number looks like WSP-7K3M-9Q', 'id');
  return id;
}

function staffOf(res: Response): Staff {
  return res.locals.staff as Staff;
}

/** Who may read the dashboard's numbers: campaign staff and admins. */
const DASHBOARD_ROLES: readonly Role[] = ['campaign', 'admin'];

/** Who may read the partners list: the staff who refer cases. */
const CASE_ROLES: readonly Role[] = ['agent', 'admin'];

export function staffRouter(deps: StaffApiDeps): Router {
  const { hotline, tokens, log } = deps;
  const router = Router();

  // Nothing of this API is cached anywhere (a browser, a proxy).
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // Bearer authentication, before anything else is read.
  router.use(async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer ([^\s]+)$/i.exec(header.trim());
    if (!m) {
      res.set('WWW-Authenticate', REALM).status(401).json({ error: 'a bearer token is needed (npm run hotline -- token --name NAME --role agent)' });
      return;
    }
    const staff = await tokens.verify(m[1]!);
    if (!staff) {
      res.set('WWW-Authenticate', `${REALM}, error="invalid_token"`).status(401).json({ error: 'the token is not valid (unknown, replaced or revoked)' });
      return;
    }
    res.locals.staff = staff;
    next();
  });

  // A picture or video for a campaign, as the raw bytes (any Content-Type: what it is comes from its bytes).
  router.post(
    '/media',
    async (_req, res, next) => {
      try {
        await broadcast(res);
        next();
      } catch (e) {
        next(e);
      }
    },
    express.raw({ type: () => true, limit: MAX_MEDIA_BYTES }),
    async (req, res) => {
      const b = await broadcast(res);
      if (!Buffer.isBuffer(req.body) || !req.body.length) throw new HttpError(400, 'the body is the file (a JPEG or PNG picture or an MP4 video)', 'body');
      try {
        const ref = await b.media.put(req.body);
        log.info({ staff: staffOf(res).name, media: ref.id, kind: ref.kind, bytes: ref.bytes }, 'campaign media stored');
        res.status(201).json(ref);
      } catch (e) {
        if (e instanceof MediaError) throw new HttpError(400, e.message, 'body');
        throw e;
      }
    },
  );

  // A body, when there is one, is JSON: anything else is refused before it is read.
  router.use((req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is('application/json')) {
      next(new HttpError(400, 'the body must be JSON (Content-Type: application/json)', 'body'));
      return;
    }
    next();
  });
  router.use(express.json({ limit: BODY_LIMIT, strict: true, type: 'application/json' }));

  router.get('/cases', async (req, res) => {
    const filter: CaseFilter = parse(ListQuery, req.query, 'query');
    res.json({ cases: await hotline.list(staffOf(res), filter) });
  });

  router.get('/cases/:id', async (req, res) => {
    const id = caseId(req);
    res.json(await hotline.show(staffOf(res), id));
  });

  router.get('/cases/:id/audit', async (req, res) => {
    const id = caseId(req);
    const { limit } = parse(AuditQuery, req.query, 'query');
    res.json({ entries: await hotline.auditOf(staffOf(res), id, limit) });
  });

  router.get('/audit', async (req, res) => {
    const { limit } = parse(AuditQuery, req.query, 'query');
    res.json({ entries: await hotline.auditOf(staffOf(res), null, limit) });
  });

  router.get('/partners', (_req, res) => {
    const staff = staffOf(res);
    if (!CASE_ROLES.includes(staff.role)) throw new Forbidden(`role ${staff.role} may not do this`);
    const partners = [...hotline.partners.values()].map((p) => ({ id: p.id, kind: p.kind, country: p.country, name: partnerLabel(p, 'en'), nameId: partnerLabel(p, 'id') }));
    res.json({ partners });
  });

  /** The next case of the queue (urgent first), or {case: null} when the queue is empty. */
  router.post('/claim', async (_req, res) => {
    res.json({ case: await hotline.claim(staffOf(res)) });
  });

  router.post('/cases/:id/claim', async (req, res) => {
    const id = caseId(req);
    res.json({ case: await hotline.claim(staffOf(res), id) });
  });

  router.post('/cases/:id/notes', async (req, res) => {
    const id = caseId(req);
    const body = parse(NoteBody, req.body, 'body');
    res.json({ case: await hotline.note(staffOf(res), id, body.text, body.family ?? false) });
  });

  router.post('/cases/:id/refer', async (req, res) => {
    const id = caseId(req);
    const body = parse(ReferBody, req.body, 'body');
    res.json({ case: await hotline.refer(staffOf(res), id, body.partner) });
  });

  router.post('/cases/:id/stage', async (req, res) => {
    const id = caseId(req);
    const body = parse(StageBody, req.body, 'body');
    res.json({ case: await hotline.stage(staffOf(res), id, body.stage) });
  });

  router.post('/cases/:id/close', async (req, res) => {
    const id = caseId(req);
    const body = parse(CloseBody, req.body, 'body');
    res.json({ case: await hotline.close(staffOf(res), id, body.outcome) });
  });

  // Identification interview, referral packets (JSON, PDF), duplicate reports and links.
  caseworkRoutes(router, { hotline, log, parse, caseId });

  /** The last 30 days (or `days`) in counts: conversations, offers, red flags, reports, cases, pictures, subscribers. */
  router.get('/dashboard', async (req, res) => {
    const staff = staffOf(res);
    if (!DASHBOARD_ROLES.includes(staff.role)) throw new Forbidden(`role ${staff.role} may not do this`);
    const { days } = parse(DashboardQuery, req.query, 'query');
    if (!deps.metrics) throw new HttpError(503, 'the dashboard is not served here');
    res.json(await deps.metrics.dashboard(days));
  });

  // Campaigns: campaign staff and admins.
  const broadcast = async (res: Response): Promise<CampaignApi> => {
    const staff = staffOf(res);
    if (!CAMPAIGN_ROLES.includes(staff.role)) throw new Forbidden(`role ${staff.role} may not do this`);
    if (!deps.broadcast) throw new HttpError(503, 'campaigns are not served here');
    return deps.broadcast();
  };
  const mediaOf = async (b: CampaignApi, id: string | undefined): Promise<MediaRef | undefined> => {
    if (!id) return undefined;
    const ref = await b.media.describe(id);
    if (!ref) throw new HttpError(400, 'no such file: upload it with POST /staff/api/media first (files are kept 60 days)', 'media');
    return ref;
  };
  const campaignId = (req: Request) => {
    const id = String(req.params.id ?? '');
    if (!CAMPAIGN_ID.test(id)) throw new HttpError(400, 'a campaign id looks like C261201-4D6D62', 'id');
    return id;
  };
  router.post('/campaigns', async (req, res) => {
    const b = await broadcast(res);
    const body = parse(CampaignBody, req.body ?? {}, 'body');
    if (body.dryRun) {
      res.json({ dryRun: true, counts: await b.campaigns.dryRun(body.segment, b.channels) });
      return;
    }
    const media = await mediaOf(b, body.media);
    try {
      const c = await startCampaign(b, { texts: body.texts, segment: body.segment, urgent: body.urgent, fallbackToId: body.fallbackToId, at: body.at ? Date.parse(body.at) : undefined, media, by: staffOf(res).name }, log);
      res.status(201).json(c);
    } catch (e) {
      if (e instanceof CampaignError) throw new HttpError(400, e.message, 'texts');
      throw e;
    }
  });
  router.post('/campaigns/test', async (req, res) => {
    const b = await broadcast(res);
    const body = parse(TestBody, req.body ?? {}, 'body');
    // Only to the staff member's own chat, registered with their token by an admin: a test send skips
    // opt-outs, caps and quiet hours, so it must never reach anyone else.
    const to = ownChat(staffOf(res));
    if (!to) throw new HttpError(403, 'no chat of yours is registered: an admin gives you a token with --chat CHANNEL:USER', 'to');
    if (body.to && (body.to.channel !== to.channel || body.to.user !== to.user)) throw new HttpError(403, 'a test goes only to your own registered chat', 'to');
    const media = await mediaOf(b, body.media);
    try {
      const results = await testCampaign(b, { texts: body.texts, media }, to, staffOf(res).name, log);
      res.json({ test: true, results });
    } catch (e) {
      if (e instanceof CampaignError) throw new HttpError(400, e.message, 'texts');
      throw e;
    }
  });
  router.get('/campaigns/:id', async (req, res) => {
    const b = await broadcast(res);
    const c = await b.campaigns.get(campaignId(req));
    if (!c) throw new NotFound(`no campaign ${campaignId(req)}`);
    res.json({ ...c, progress: await b.queue.progress(c.id) });
  });
  for (const action of Object.keys(CAMPAIGN_ACTIONS) as CampaignAction[]) {
    router.post(`/campaigns/:id/${action}`, async (req, res) => {
      const b = await broadcast(res);
      const id = campaignId(req);
      if (!(await b.campaigns.get(id))) throw new NotFound(`no campaign ${id}`);
      const state = await changeCampaign(b, id, action, staffOf(res).name, log);
      res.json({ id, state });
    });
  }

  router.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  // Typed errors → statuses. Logged once, with the route and who asked; never the body.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const staff = res.locals.staff as Staff | undefined;
    const ctx = { method: req.method, route: (req.route as { path?: string } | undefined)?.path ?? req.path, staff: staff?.name };
    let status: number;
    let body: { error: string; field?: string };
    if (err instanceof HttpError) [status, body] = [err.status, { error: err.message, ...(err.field ? { field: err.field } : {}) }];
    else if (err instanceof Invalid) [status, body] = [400, { error: err.message, field: err.field }];
    else if (err instanceof Forbidden) [status, body] = [403, { error: err.message }];
    else if (err instanceof NotFound) [status, body] = [404, { error: err.message }];
    else if (err instanceof Conflict) [status, body] = [409, { error: err.message }];
    else {
      // body-parser's errors carry a type and a status: too large, malformed JSON, bad charset.
      const e = err as { type?: string; status?: number; message?: string };
      if (e.type === 'entity.too.large') [status, body] = [413, { error: req.path === '/media' ? `the file is larger than ${MAX_MEDIA_BYTES / 1024 / 1024} MB` : `the body is larger than ${BODY_LIMIT / 1024} kB` }];
      else if (e.type === 'entity.parse.failed') [status, body] = [400, { error: 'the body is not valid JSON', field: 'body' }];
      else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) [status, body] = [e.status, { error: e.type ? e.type.replace(/\./g, ' ') : 'bad request' }];
      else {
        log.error({ ...ctx, err: e.message ?? String(err) }, 'staff api request failed');
        if (!res.headersSent) res.status(500).json({ error: 'internal error' });
        return;
      }
    }
    log.info({ ...ctx, status, field: err instanceof HttpError ? err.logged : body.field }, 'staff api request refused');
    if (status === 401) res.set('WWW-Authenticate', REALM);
    res.status(status).json(body);
  });

  return router;
}
