// A local stand-in for Meta's Graph API (the WhatsApp Cloud API's /{phone-number-id}/messages and
// /media), as strict as the real one where Waspada depends on it: the bearer token (190), message
// shapes and Meta's size limits (100), uploads (multipart/form-data; JPEG or PNG up to 5 MB, MP4 or
// 3GPP up to 16 MB) and pictures and videos sent by media id (an id it does not have: 100), approved
// templates only (132001) with their header and body parameters (132012 a header of the wrong kind,
// 132000 a wrong number of parameters, 132018 a parameter with a new line, a tab or more than 4
// spaces in a row, 132005 a body over 1024 characters once filled in), the 24-hour customer service
// window (a free-form message outside it is taken, then reported failed with 131047 in a signed
// status post, as Meta does; templates go), the pair rate (131056: one message every 6 s to a person,
// bursts borrowed from later) and the number's throughput (130429). Statuses of accepted messages are
// posted to the webhook, signed with the app secret, when one is given.
//
// Files people send (`receive`: a picture's media id for a webhook message) are fetched as from Meta:
// GET /v23.0/<MEDIA_ID> with the bearer token answers { url, mime_type, sha256, file_size, id,
// messaging_product } (190 without the token; an id it does not have: Graph's 400, code 100 subcode 33),
// and the url, on the fake's own host as lookaside.fbsbx.com is Meta's, gives the bytes to a request with
// the bearer token (401 without it, 404 once the url is 5 minutes old or expired by `expireMediaUrls`).
// Every download is recorded (`downloads`).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendContent, sizeOf, type FileContent } from './files.js';

/** A template approved in WhatsApp Manager, as the fake checks a message naming it. */
export interface ApprovedTemplate {
  name: string;
  /** Its language; any when not given. */
  language?: string;
  header?: 'IMAGE' | 'VIDEO';
  /** Its body with {{1}}...: the number of parameters, and the length once they are filled in. */
  body?: string;
  /** The number of body parameters (when no body is given). */
  params?: number;
}

export interface FakeGraphOptions {
  token: string;
  phoneNumberId: string;
  /** Approved templates: a name alone is a template without header or body parameters. */
  templates?: (string | ApprovedTemplate)[];
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
  /** The text a person sees (text body, interactive body, caption, template name). */
  text: string;
  /** A template's body parameters. */
  params?: string[];
  /** The media id of a picture or video (its own, or in a template's header). */
  mediaId?: string;
}

/** A file uploaded to /media. */
export interface Uploaded {
  id: string;
  mime: string;
  size: number;
  at: number;
}

/** A file a person sent, as the fake keeps it. */
interface Received {
  mime: string;
  content: FileContent;
  sha256: string;
}

/** A download of a file a person sent. */
export interface MediaDownload {
  id: string;
  status: number;
  bytes: number;
}

/** How long a media URL works ("Media URLs expire after 5 minutes"). */
const MEDIA_URL_MS = 5 * 60_000;

/** Meta's types and sizes for pictures and videos ("Supported media types"). */
const MB = 1_000_000;
const MEDIA_TYPES: Record<string, { kind: 'image' | 'video'; max: number }> = {
  'image/jpeg': { kind: 'image', max: 5 * MB },
  'image/png': { kind: 'image', max: 5 * MB },
  'video/mp4': { kind: 'video', max: 16 * MB },
  'video/3gpp': { kind: 'video', max: 16 * MB },
};

/** What a file is from its first bytes (Meta reads the file, not the name). */
function sniff(b: Buffer): string | null {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') return b.toString('latin1', 8, 10) === '3g' ? 'video/3gpp' : 'video/mp4';
  return null;
}

/** The parts of a multipart/form-data body: name, content type, bytes. */
function multipart(body: Buffer, contentType: string | undefined): Map<string, { type?: string; data: Buffer }> | null {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m || !/^multipart\/form-data/i.test(contentType ?? '')) return null;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = new Map<string, { type?: string; data: Buffer }>();
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.toString('latin1', start, start + 2) === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return null;
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return null;
    const head = part.toString('latin1', 0, split);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name) parts.set(name, { type: /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim(), data: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}

const MEDIA_NOT_FOUND = (path: string) => `(#100) Param ${path} is not a valid whatsapp business account media attachment ID`;

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
  readonly uploads: Uploaded[] = [];
  /** Statuses the fake reported (posted to the webhook when it has one). */
  readonly reported: { id: string; to: string; status: string; code?: number }[] = [];
  /** Files uploaded and still kept, by media id. */
  private readonly media = new Map<string, Uploaded>();
  private nextMediaId = 1037543291540000;
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
  /** Downloads of files people sent, in order, whatever their answer. */
  readonly downloads: MediaDownload[] = [];
  /** Files people sent, by media id. */
  private readonly received = new Map<string, Received>();
  /** Media URLs given before this time no longer work. */
  /** Media URLs are numbered as given; those up to this number were expired by `expireMediaUrls`. */
  private urlSerial = 0;
  private urlsExpiredUpTo = 0;
  private readonly urlKey = randomBytes(16);
  private mediaFailures: { status: number; code?: number; message: string }[] = [];
  private downloadFailures: number[] = [];
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

  /** When the person last wrote, if they did. */
  lastWrote(waId: string): number | undefined {
    return this.lastInbound.get(waId);
  }

  /** Meta no longer has these uploaded files (all of them when none are named): their ids are refused. */
  forgetMedia(...ids: string[]): void {
    for (const id of ids.length ? ids : [...this.media.keys()]) this.media.delete(id);
  }

  /**
   * A file a person sent (the id a webhook's image or document carries): its bytes, or only its size for
   * a big one. `mime` is what Meta says of it.
   */
  receive(content: FileContent, mime: string): string {
    const id = String(this.nextMediaId++);
    const sha256 = typeof content === 'number' ? createHash('sha256').update(String(content)).digest('hex') : createHash('sha256').update(content).digest('hex');
    this.received.set(id, { mime, content, sha256 });
    return id;
  }

  /** Every media URL given so far stops working (as after its 5 minutes). */
  expireMediaUrls(): void {
    // By number, not by time: a URL given in the same millisecond after this call still works.
    this.urlsExpiredUpTo = this.urlSerial;
  }

  /** The next n media URL requests (GET /<MEDIA_ID>) fail with this status and Meta code (none: a bare status, as a proxy's). */
  failNextMedia(n: number, status: number, code?: number, message = 'failure'): void {
    for (let i = 0; i < n; i++) this.mediaFailures.push({ status, code, message });
  }

  /** The next n downloads of media URLs answer this status. */
  failNextDownloads(n: number, status: number): void {
    for (let i = 0; i < n; i++) this.downloadFailures.push(status);
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
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (req.method === 'POST' && path === `/v23.0/${this.opts.phoneNumberId}/media`) return this.upload(req, res, raw);
    if (req.method === 'GET' && path === '/whatsapp_business/attachments/') return this.download(req, res, url.searchParams);
    const media = /^\/v23\.0\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && media) return this.mediaUrl(req, res, decodeURIComponent(media[1]!));
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      /* checked below */
    }
    const call: GraphCall = { at: Date.now(), status: 0, auth: req.headers.authorization, body };
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
      type === 'text'
        ? String((part as { body?: unknown }).body)
        : type === 'interactive'
          ? String((part.body as { text?: unknown })?.text)
          : type === 'template'
            ? String(part.name)
            : typeof part.caption === 'string'
              ? part.caption
              : '';
    const sent: Sent = { id, to, at: now, type, body, text };
    if (type === 'image' || type === 'video') sent.mediaId = String(part.id);
    if (type === 'template') {
      const components = Array.isArray(part.components) ? (part.components as Record<string, unknown>[]) : [];
      const param = (c: Record<string, unknown> | undefined) => (Array.isArray(c?.parameters) ? (c.parameters as Record<string, unknown>[]) : []);
      sent.params = param(components.find((c) => c.type === 'body')).map((p) => String(p.text));
      const h = param(components.find((c) => c.type === 'header'))[0];
      const media = h && isObject(h[String(h.type)]) ? (h[String(h.type)] as Record<string, unknown>) : undefined;
      if (media) sent.mediaId = String(media.id);
    }
    this.sentAll.push(sent);
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
    if (b.type === 'template') return this.checkTemplate(isObject(b.template) ? b.template : {});
    if (b.type === 'image' || b.type === 'video') {
      const m = isObject(b[b.type]) ? (b[b.type] as Record<string, unknown>) : {};
      if (m.caption !== undefined && (len(m.caption) < 1 || len(m.caption) > 1024)) return bad(`${b.type}.caption must be 1 to 1024 characters`);
      if (typeof m.link === 'string' && m.id === undefined) return null;
      return this.knownMedia(m.id, b.type, `${b.type}['id']`);
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

  /** A media id this fake holds, of a file of that kind; else Meta's refusal naming the parameter. */
  private knownMedia(id: unknown, kind: 'image' | 'video', path: string): { code: number; message: string; details?: string } | null {
    const file = typeof id === 'string' ? this.media.get(id) : undefined;
    if (!file || MEDIA_TYPES[file.mime]?.kind !== kind) return { code: 100, message: MEDIA_NOT_FOUND(path) };
    return null;
  }

  /** A template message against the approved templates: name and language, header, body parameters. */
  private checkTemplate(t: Record<string, unknown>): { code: number; message: string; details?: string } | null {
    const name = String(t.name);
    const code = isObject(t.language) && typeof t.language.code === 'string' ? t.language.code : undefined;
    if (code === undefined) return { code: 100, message: '(#100) Invalid parameter', details: 'template.language.code' };
    const approved = (this.opts.templates ?? []).map((x) => (typeof x === 'string' ? { name: x } : x)).find((x) => x.name === name && (x.language === undefined || x.language === code));
    if (!approved) return { code: 132001, message: '(#132001) Template name does not exist in the translation', details: `template name (${name}) does not exist in ${code}` };
    const components = Array.isArray(t.components) ? t.components.filter(isObject) : [];
    const at = (type: string) => components.findIndex((c) => c.type === type);
    const paramsOf = (i: number) => (i >= 0 && Array.isArray(components[i]!.parameters) ? (components[i]!.parameters as unknown[]).filter(isObject) : []);
    // The header: a picture or video of the approved kind, by a media id this fake holds (or a link).
    const h = at('header');
    const hp = paramsOf(h)[0];
    if (approved.header) {
      const kind = approved.header.toLowerCase() as 'image' | 'video';
      if (!hp || hp.type !== kind || !isObject(hp[kind])) {
        return { code: 132012, message: '(#132012) Parameter format does not match format in the created template', details: `header: Format mismatch, expected ${approved.header}, received ${hp ? String(hp.type).toUpperCase() : 'UNKNOWN'}` };
      }
      const media = hp[kind] as Record<string, unknown>;
      if (!(typeof media.link === 'string' && media.id === undefined)) {
        const problem = this.knownMedia(media.id, kind, `template['components'][${h}]['parameters'][0]['${kind}']['id']`);
        if (problem) return problem;
      }
    } else if (hp) {
      return { code: 132012, message: '(#132012) Parameter format does not match format in the created template', details: `header: Format mismatch, expected no header parameter, received ${String(hp.type).toUpperCase()}` };
    }
    // The body's parameters: their number, no new line, tab or more than 4 spaces in a row, the whole within 1024.
    const params = paramsOf(at('body'));
    const expected = approved.body !== undefined ? [...approved.body.matchAll(/\{\{\s*\d+\s*\}\}/g)].length : (approved.params ?? 0);
    if (params.length !== expected) {
      return { code: 132000, message: '(#132000) Number of parameters does not match the expected number of params', details: `body: number of localizable_params (${params.length}) does not match the expected number of params (${expected})` };
    }
    const texts: string[] = [];
    for (const p of params) {
      if (p.type !== 'text' || typeof p.text !== 'string' || p.text.length < 1) return { code: 100, message: '(#100) Invalid parameter', details: 'body parameter: type text with a non-empty text' };
      if (/[\n\r\t]| {5,}/.test(p.text)) {
        return { code: 132018, message: '(#132018) There was an issue with the parameters in your template.', details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' };
      }
      texts.push(p.text);
    }
    if (approved.body !== undefined) {
      const filled = approved.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (_, n: string) => texts[Number(n) - 1] ?? '');
      if (filled.length > 1024) return { code: 132005, message: '(#132005) Translated text too long', details: `the body has ${filled.length} characters once its parameters are filled in; at most 1024` };
    }
    return null;
  }

  /** POST /{phone-number-id}/media: multipart/form-data with messaging_product, type and file. */
  private upload(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const call: GraphCall = { at: Date.now(), status: 0, auth: req.headers.authorization, body: { upload: true, bytes: raw.length } };
    if (req.headers.authorization !== `Bearer ${this.opts.token}` || !this.tokenValid) {
      call.code = 190;
      return this.reply(res, call, 401, err(190, 'Error validating access token: Session has expired'));
    }
    const refuse = (details: string) => {
      call.code = 100;
      this.reply(res, call, 400, err(100, '(#100) Invalid parameter', details));
    };
    const parts = multipart(raw, req.headers['content-type']);
    if (!parts) return refuse('the body must be multipart/form-data');
    if (parts.get('messaging_product')?.data.toString() !== 'whatsapp') return refuse('messaging_product is required');
    const file = parts.get('file');
    const type = parts.get('type')?.data.toString();
    if (!file || !file.data.length) return refuse('file is required');
    if (!type || file.type !== type) return refuse(`type (${String(type)}) must be the file's content type (${String(file.type)})`);
    const rule = MEDIA_TYPES[type];
    if (!rule || sniff(file.data) !== type) return refuse(`file: ${type} is not a supported type, or the file is not one`);
    if (file.data.length > rule.max) return refuse(`file: ${file.data.length} bytes; a ${rule.kind} may have at most ${rule.max / MB} MB`);
    const id = String(this.nextMediaId++);
    const up: Uploaded = { id, mime: type, size: file.data.length, at: Date.now() };
    this.uploads.push(up);
    this.media.set(id, up);
    call.body = { upload: true, id, mime: type, size: up.size };
    this.reply(res, call, 200, { id });
  }

  private urlHash(id: string, ext: string): string {
    return createHmac('sha256', this.urlKey).update(`${id}:${ext}`).digest('hex').slice(0, 32);
  }

  /** GET /<MEDIA_ID>: where to download a file a person sent, for the next 5 minutes. */
  private mediaUrl(req: IncomingMessage, res: ServerResponse, id: string): void {
    const call: GraphCall = { at: Date.now(), status: 0, auth: req.headers.authorization, body: { media: id } };
    if (req.headers.authorization !== `Bearer ${this.opts.token}` || !this.tokenValid) {
      call.code = 190;
      return this.reply(res, call, 401, err(190, 'Error validating access token: Session has expired'));
    }
    const failure = this.mediaFailures.shift();
    if (failure) {
      call.code = failure.code;
      return this.reply(res, call, failure.status, failure.code === undefined ? { error: failure.message } : err(failure.code, failure.message));
    }
    const file = this.received.get(id);
    if (!file) {
      call.code = 100;
      const message = `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`;
      return this.reply(res, call, 400, { error: { message, type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: 'Afake' } });
    }
    const ext = String(Date.now() + MEDIA_URL_MS);
    const origin = this.apiRoot.replace(/\/v23\.0$/, '');
    const url = `${origin}/whatsapp_business/attachments/?mid=${id}&ext=${ext}&hash=${this.urlHash(id, ext)}&n=${++this.urlSerial}`;
    this.reply(res, call, 200, { messaging_product: 'whatsapp', url, mime_type: file.mime, sha256: file.sha256, file_size: sizeOf(file.content), id });
  }

  /** GET of a media URL: the file's bytes, to a request with the bearer token, while the URL is valid. */
  private download(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const id = q.get('mid') ?? '';
    const ext = q.get('ext') ?? '';
    const file = this.received.get(id);
    const serial = Number(q.get('n') ?? 0);
    let status = 200;
    if (req.headers.authorization !== `Bearer ${this.opts.token}` || !this.tokenValid) status = 401;
    else if (!file || q.get('hash') !== this.urlHash(id, ext)) status = 404;
    else if (Number(ext) < Date.now() || serial <= this.urlsExpiredUpTo) status = 404;
    else status = this.downloadFailures.shift() ?? 200;
    if (status !== 200 || !file) {
      this.downloads.push({ id, status, bytes: 0 });
      const b = Buffer.from(status === 401 ? 'Unauthorized' : 'Not Found');
      return void res.writeHead(status, { 'content-type': 'text/plain', 'content-length': b.length }).end(b);
    }
    const size = sizeOf(file.content);
    this.downloads.push({ id, status, bytes: size });
    res.writeHead(200, { 'content-type': file.mime, 'content-length': size });
    sendContent(res, file.content);
  }

  /** Posts a status of one of our messages to the webhook, signed, as Meta does. */
  status(id: string, to: string, status: string, error?: Record<string, unknown>): void {
    this.reported.push({ id, to, status, ...(typeof error?.code === 'number' ? { code: error.code } : {}) });
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
