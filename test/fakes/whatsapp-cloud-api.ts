// A local stand-in for Meta's Graph API (the WhatsApp Cloud API's /{phone-number-id}/messages), as
// strict as the real one where Waspada depends on it: the bearer token (190), message shapes and
// Meta's size limits (100), approved templates only (132001), the 24-hour customer service window
// (a free-form message outside it is taken, then reported failed with 131047 in a signed status
// post, as Meta does), the pair rate (131056: one message every 6 s to a person, bursts borrowed from
// later) and the number's throughput (130429). Statuses of accepted messages are posted to the
// webhook, signed with the app secret, when one is given.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphOptions {
  token: string;
  phoneNumberId: string;
  /** Names of approved templates. */
  templates?: string[];
  /** Where statuses go (the server's /webhooks/whatsapp), signed with appSecret. */
  webhookUrl?: string;
  appSecret?: string;
  /** Post `sent` and `delivered` statuses for every accepted message (Meta does; off keeps tests quiet). */
  statuses?: boolean;
  perSecond?: number;
  pairSeconds?: number;
  pairBurst?: number;
}

export interface GraphCall {
  at: number;
  status: number;
  code?: number;
  auth?: string;
  body: Record<string, unknown>;
}

export interface Sent {
  id: string;
  to: string;
  at: number;
  type: string;
  body: Record<string, unknown>;
  /** The text a person sees (text body, interactive body, template name). */
  text: string;
}

const WINDOW_MS = 24 * 3600_000;
const err = (code: number, message: string, details?: string) => ({
  error: { message, type: code === 190 ? 'OAuthException' : 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'Afake' },
});
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (s: unknown) => (typeof s === 'string' ? [...s].length : -1);

export class FakeGraph {
  readonly calls: GraphCall[] = [];
  readonly sentAll: Sent[] = [];
  readonly reads: string[] = [];
  /** Last time each person wrote (opens the 24-hour window). */
  private readonly lastInbound = new Map<string, number>();
  /** GCRA per person: when their next message is due. */
  private readonly pairTat = new Map<string, number>();
  private readonly second: number[] = [];
  private readonly unreachable = new Set<string>();
  private failures: { status: number; code: number; message: string; to?: string }[] = [];
  private pendingPosts = new Set<Promise<unknown>>();
  tokenValid = true;
  apiRoot = '';
  private server!: Server;

  constructor(readonly opts: FakeGraphOptions) {}

  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v23.0`;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingPosts]);
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The person wrote at `at` (the window is open for 24 hours from then). */
  wrote(waId: string, at = Date.now()): void {
    this.lastInbound.set(waId, at);
  }

  /** Messages to this person are taken, then reported failed with 131026 (not on WhatsApp, or blocked us). */
  makeUnreachable(waId: string): void {
    this.unreachable.add(waId);
  }

  /** The next n sends (to `to` only, if given) fail with this status and Meta code. */
  failNext(n: number, status: number, code: number, message = 'failure', to?: string): void {
    for (let i = 0; i < n; i++) this.failures.push({ status, code, message, to });
  }

  sent(to: string): Sent[] {
    return this.sentAll.filter((s) => s.to === to);
  }

  async waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > until) throw new Error(`FakeGraph.waitFor: still false after ${timeoutMs} ms; ${this.calls.length} calls, last: ${JSON.stringify(this.calls.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private reply(res: ServerResponse, call: GraphCall, status: number, body: object): void {
    call.status = status;
    this.calls.push(call);
    const b = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': b.length }).end(b);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      /* checked below */
    }
    const call: GraphCall = { at: Date.now(), status: 0, auth: req.headers.authorization, body };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST' || path !== `/v23.0/${this.opts.phoneNumberId}/messages`) {
      return this.reply(res, call, 400, err(100, `Unsupported post request. Object with ID '${path}' does not exist`));
    }
    if (req.headers.authorization !== `Bearer ${this.opts.token}` || !this.tokenValid) {
      call.code = 190;
      return this.reply(res, call, 401, err(190, 'Error validating access token: Session has expired'));
    }
    if (body.messaging_product !== 'whatsapp') return this.reply(res, call, 400, err(100, '(#100) The parameter messaging_product is required.'));
    if (body.status === 'read') {
      if (typeof body.message_id !== 'string') return this.reply(res, call, 400, err(100, '(#100) Invalid parameter', 'message_id'));
      this.reads.push(body.message_id);
      return this.reply(res, call, 200, { success: true });
    }
    const at = this.failures.findIndex((f) => f.to === undefined || f.to === body.to);
    if (at >= 0) {
      const [failure] = this.failures.splice(at, 1);
      call.code = failure!.code;
      return this.reply(res, call, failure!.status, err(failure!.code, failure!.message));
    }
    const to = body.to;
    if (typeof to !== 'string' || !/^\d{5,20}$/.test(to)) return this.reply(res, call, 400, err(100, '(#100) Invalid parameter', 'to'));
    const problem = this.check(body);
    if (problem) {
      call.code = problem.code;
      return this.reply(res, call, 400, err(problem.code, problem.message, problem.details));
    }
    // The number's throughput, then the pair rate.
    const now = Date.now();
    while (this.second.length && this.second[0]! <= now - 1000) this.second.shift();
    if (this.second.length >= (this.opts.perSecond ?? 80)) {
      call.code = 130429;
      return this.reply(res, call, 400, err(130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.'));
    }
    const interval = (this.opts.pairSeconds ?? 6) * 1000;
    const tolerance = interval * ((this.opts.pairBurst ?? 45) - 1);
    const tat = Math.max(this.pairTat.get(to) ?? now, now);
    if (tat - now > tolerance) {
      call.code = 131056;
      return this.reply(res, call, 400, err(131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.'));
    }
    this.pairTat.set(to, tat + interval);
    this.second.push(now);
    const id = `wamid.${randomBytes(18).toString('base64url')}`;
    const type = String(body.type);
    const part = isObject(body[type]) ? (body[type] as Record<string, unknown>) : {};
    const text =
      type === 'text' ? String((part as { body?: unknown }).body) : type === 'interactive' ? String((part.body as { text?: unknown })?.text) : type === 'template' ? String(part.name) : '';
    this.sentAll.push({ id, to, at: now, type, body, text });
    this.reply(res, call, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
    // What Meta reports later about the message.
    const opened = this.lastInbound.get(to);
    if (this.unreachable.has(to)) this.status(id, to, 'failed', { code: 131026, title: 'Message undeliverable' });
    else if (type !== 'template' && (opened === undefined || opened < now - WINDOW_MS)) {
      this.status(id, to, 'failed', { code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } });
    } else if (this.opts.statuses) {
      this.status(id, to, 'sent');
      this.status(id, to, 'delivered');
    }
  }

  /** Meta's shape and size rules for the message kinds Waspada sends. */
  private check(b: Record<string, unknown>): { code: number; message: string; details?: string } | null {
    const bad = (details: string) => ({ code: 100, message: '(#100) Invalid parameter', details });
    if (b.type === 'text') {
      const t = isObject(b.text) ? b.text.body : undefined;
      if (len(t) < 1 || len(t) > 4096) return bad('text.body must be 1 to 4096 characters');
      return null;
    }
    if (b.type === 'template') {
      const t = isObject(b.template) ? b.template : {};
      if (!(this.opts.templates ?? []).includes(String(t.name))) return { code: 132001, message: '(#132001) Template name does not exist in the translation', details: `template name (${String(t.name)}) does not exist` };
      if (!isObject(t.language) || typeof t.language.code !== 'string') return bad('template.language.code');
      return null;
    }
    if (b.type !== 'interactive' || !isObject(b.interactive)) return bad(`unsupported type ${String(b.type)}`);
    const i = b.interactive;
    const bodyText = isObject(i.body) ? i.body.text : undefined;
    if (len(bodyText) < 1 || len(bodyText) > 1024) return bad('interactive.body.text must be 1 to 1024 characters');
    const action = isObject(i.action) ? i.action : {};
    const ids = new Set<string>();
    const idOk = (id: unknown, max: number) => typeof id === 'string' && id.length >= 1 && id.length <= max && !ids.has(id) && Boolean(ids.add(id));
    if (i.type === 'button') {
      const buttons = Array.isArray(action.buttons) ? action.buttons : [];
      if (buttons.length < 1 || buttons.length > 3) return bad('buttons: 1 to 3');
      for (const x of buttons) {
        const r = isObject(x) && isObject(x.reply) ? x.reply : {};
        if (!isObject(x) || x.type !== 'reply' || !idOk(r.id, 256) || len(r.title) < 1 || len(r.title) > 20) return bad('button reply: unique id up to 256, title 1 to 20 characters');
      }
      return null;
    }
    if (i.type === 'list') {
      if (len(action.button) < 1 || len(action.button) > 20) return bad('list button: 1 to 20 characters');
      const sections = Array.isArray(action.sections) ? action.sections : [];
      const rows = sections.flatMap((s) => (isObject(s) && Array.isArray(s.rows) ? s.rows : []));
      if (sections.length < 1 || sections.length > 10 || rows.length < 1 || rows.length > 10) return bad('list: 1 to 10 rows in all');
      for (const r of rows) {
        if (!isObject(r) || !idOk(r.id, 200) || len(r.title) < 1 || len(r.title) > 24 || (r.description !== undefined && len(r.description) > 72)) {
          return bad('list row: unique id up to 200, title 1 to 24, description up to 72 characters');
        }
      }
      return null;
    }
    return bad(`interactive type ${String(i.type)}`);
  }

  /** Posts a status of one of our messages to the webhook, signed, as Meta does. */
  status(id: string, to: string, status: string, error?: Record<string, unknown>): void {
    if (!this.opts.webhookUrl || !this.opts.appSecret) return;
    const value = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: this.opts.phoneNumberId },
      statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to, ...(error ? { errors: [error] } : {}) }],
    };
    const p = signedPost(this.opts.webhookUrl, this.opts.appSecret, { object: 'whatsapp_business_account', entry: [{ id: '1029384756', changes: [{ value, field: 'messages' }] }] }).catch(() => undefined);
    this.pendingPosts.add(p);
    void p.finally(() => this.pendingPosts.delete(p));
  }
}

export async function startFakeGraph(opts: FakeGraphOptions): Promise<FakeGraph> {
  const f = new FakeGraph(opts);
  await f.listen();
  return f;
}

export const sign = (raw: string | Buffer, secret: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export function signedPost(url: string, secret: string, payload: unknown): Promise<Response> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, secret) }, body: raw });
}
