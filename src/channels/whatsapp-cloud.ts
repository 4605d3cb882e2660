// WhatsApp through Meta's official Cloud API: the webhook (Meta's verification handshake, signed
// posts checked against the app secret before anything is parsed), messages into the inbox, replies
// as Graph API messages over a keep-alive connection, Meta's error codes classified for the outbox,
// message statuses, the approved template sent when a message falls outside the 24-hour window, and
// campaigns as approved templates, their pictures and videos uploaded once and sent by media id; the
// pictures people send, kept by media id and downloaded when their message is handled.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { z } from 'zod';
import type { Outbound } from '../content/render.js';
import { RetryLater, type Delivery, type Inbox } from '../conversation/inbox.js';
import { fetchCapped, PictureProblem } from '../conversation/picture.js';
import type { Inbound } from '../conversation/service.js';
import { silentLogger, userRef, type Logger } from '../log.js';
import type { Recipients } from '../outbox/recipients.js';
import { MediaStore } from '../store/media.js';
import { isUnavailable } from '../store/store.js';
import type { MediaRef } from '../engine/types.js';
import { answer, beforeBytes, jsonBody, keepAliveAgent, readBody, refuse, secretChecker } from './http.js';
import { askJson, byteCount, imageType, mimeType, notReadable, overLimit, pictureSource, readableType } from './picture-source.js';
import type { Channel, ChannelDeps, ChannelLimits, ChannelModule, Routes, SendHooks, SendResult } from './port.js';
import {
  MESSAGE_ID, TEMPLATES_FILE, TemplateFile, WA_ID, campaignTextProblem, cloudMediaProblem, messageToBody, renderCloud, renderOutbound, templatesSync, withMediaId,
  type CloudBody, type Upload, type UploadingMessage,
} from './whatsapp-cloud-render.js';

export const WHATSAPP = 'whatsapp';
export const WEBHOOK_PATH = '/webhooks/whatsapp';
/** Meta's webhook posts are small (a few messages or statuses); anything bigger is not from Meta. */
export const MAX_POST_BYTES = 1 << 20;
/** The Graph API version the requests are written for (Meta keeps a version for at least two years). */
export const GRAPH_VERSION = 'v23.0';

export interface WhatsAppCloudSettings {
  WHATSAPP_ACCESS_TOKEN?: string;
  WHATSAPP_PHONE_NUMBER_ID?: string;
  WHATSAPP_APP_SECRET?: string;
  WHATSAPP_VERIFY_TOKEN?: string;
  WHATSAPP_CLOUD_API_ROOT: string;
  WHATSAPP_RATE_GLOBAL: number;
  WHATSAPP_SECONDS_PER_CHAT: number;
  WHATSAPP_BURST_PER_CHAT: number;
  WHATSAPP_REFUSED_RETRY_SECONDS: number;
}

const SETTINGS = {
  WHATSAPP_ACCESS_TOKEN: z.string().regex(/^[A-Za-z0-9_|.-]{20,}$/, 'WHATSAPP_ACCESS_TOKEN must be the access token of a system user (from Meta Business settings)').optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d{1,20}$/, 'WHATSAPP_PHONE_NUMBER_ID must be the phone number ID (digits) shown in WhatsApp Manager, not the number').optional(),
  WHATSAPP_APP_SECRET: z.string().regex(/^[A-Za-z0-9]{16,128}$/, 'WHATSAPP_APP_SECRET must be the app secret (App settings > Basic)').optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(16, 'WHATSAPP_VERIFY_TOKEN must be at least 16 characters (you choose it, and give it to Meta with the webhook URL)').max(256).optional(),
  WHATSAPP_CLOUD_API_ROOT: z.string().url('WHATSAPP_CLOUD_API_ROOT must be a URL such as https://graph.facebook.com/v23.0').default(`https://graph.facebook.com/${GRAPH_VERSION}`),
  /** Meta's throughput per business number: 80 messages a second by default (inbound included). */
  WHATSAPP_RATE_GLOBAL: z.coerce.number().positive().default(80),
  /** Meta's pair rate: one message every 6 seconds to one person, with bursts borrowed from later. */
  WHATSAPP_SECONDS_PER_CHAT: z.coerce.number().positive().default(6),
  WHATSAPP_BURST_PER_CHAT: z.coerce.number().int().min(1).max(45).default(20),
  /** After Meta refuses the access token or the account: how long replies wait before the next try. */
  WHATSAPP_REFUSED_RETRY_SECONDS: z.coerce.number().positive().default(60),
};

const ACCEPTED = jsonBody({ ok: true });
const REFUSED = {
  signature: jsonBody({ error: 'missing or wrong X-Hub-Signature-256' }),
  tooLarge: jsonBody({ error: `body larger than ${MAX_POST_BYTES} bytes` }),
  notJson: jsonBody({ error: 'body is not JSON' }),
  notWebhook: jsonBody({ error: 'not a WhatsApp Business Account webhook' }),
  unavailable: jsonBody({ error: 'temporarily unavailable' }),
  verify: jsonBody({ error: 'wrong hub.verify_token or hub.mode' }),
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * A picture a person sent (an image, or an image sent as a document): Meta's media id and the type the
 * webhook gave. Its bytes stay with Meta until the message is handled (webhook media ids last 7 days).
 */
export interface CloudPicture {
  id: string;
  mime?: string;
}

/** What the inbox keeps of a message: see CloudBody; of a picture, its media id. */
export type CloudMessageBody = CloudBody & { picture?: CloudPicture };

/** The picture of a message of kind photo or image, or undefined (also when its id or type is malformed). */
export function pictureOf(m: Record<string, unknown>, body: CloudBody): CloudPicture | undefined {
  if (body.media !== 'photo' && body.media !== 'image') return undefined;
  const part = typeof m.type === 'string' ? m[m.type] : undefined;
  if (!isObject(part) || typeof part.id !== 'string' || !MEDIA_ID.test(part.id)) return undefined;
  if (part.mime_type === undefined) return { id: part.id };
  const mime = imageType(part.mime_type);
  return mime ? { id: part.id, mime } : undefined;
}

/** What a webhook post holds for this number: messages to queue, and statuses of messages of ours. */
export interface WebhookContents {
  messages: { id: string; body: CloudMessageBody }[];
  statuses: { id: string; status: string; user: string; code?: number }[];
  /** Errors Meta reports about the number or the app (not about one message). */
  errors: { code?: number; title?: string }[];
}

/**
 * Reads a webhook post's `entry[].changes[].value`: only the `messages` field, only for this phone
 * number id (an app may serve several numbers). Throws on a shape that is not Meta's.
 */
export function readWebhook(payload: unknown, phoneNumberId: string): WebhookContents {
  if (!isObject(payload) || payload.object !== 'whatsapp_business_account' || !Array.isArray(payload.entry)) throw new Error('not a WhatsApp Business Account webhook');
  const out: WebhookContents = { messages: [], statuses: [], errors: [] };
  for (const entry of payload.entry) {
    for (const change of list(isObject(entry) ? entry.changes : undefined)) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
      const v = change.value;
      const meta = isObject(v.metadata) ? v.metadata : {};
      if (meta.phone_number_id !== undefined && String(meta.phone_number_id) !== phoneNumberId) continue;
      for (const m of list(v.messages)) {
        if (!isObject(m) || typeof m.id !== 'string' || !MESSAGE_ID.test(m.id)) continue;
        const body: CloudMessageBody | null = messageToBody(m);
        if (!body) continue;
        const picture = pictureOf(m, body);
        if (picture) body.picture = picture;
        out.messages.push({ id: m.id, body });
      }
      for (const s of list(v.statuses)) {
        if (!isObject(s) || typeof s.id !== 'string' || !MESSAGE_ID.test(s.id) || typeof s.status !== 'string') continue;
        const user = typeof s.recipient_id === 'string' && WA_ID.test(s.recipient_id) ? s.recipient_id : '';
        const err = list(s.errors)[0];
        const code = isObject(err) && typeof err.code === 'number' ? err.code : undefined;
        out.statuses.push({ id: s.id, status: s.status.slice(0, 16), user, ...(code !== undefined ? { code } : {}) });
      }
      for (const e of list(v.errors)) {
        if (isObject(e)) out.errors.push({ code: typeof e.code === 'number' ? e.code : undefined, title: typeof e.title === 'string' ? e.title.slice(0, 200) : undefined });
      }
    }
  }
  return out;
}

/** Meta's error answer. */
interface GraphError {
  error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } };
}

/** Meta's codes that say to slow down, and how long to wait first (ms). */
const RATE_LIMITED: Record<number, number> = {
  4: 60_000, // the app's call rate
  80007: 60_000, // the business account's rate
  130429: 1_000, // the number's throughput
  131056: 6_000, // the pair rate (one person)
  131057: 60_000, // the number is being upgraded to a higher throughput
};
/** The person cannot be reached on WhatsApp (not on WhatsApp, blocked the business, an old app). */
const GONE = new Set([131026]);
/** The access token is expired, revoked or wrong: nothing goes out until an operator fixes it. */
const TOKEN = new Set([190]);
/** Permission and account problems an operator must fix: like a bad token, not retried in a tight loop. */
const ACCOUNT = new Set([10, 200, 131031, 368, 131048]);
/** The last message from the person is older than 24 hours: only an approved template may be sent. */
export const OUTSIDE_WINDOW = 131047;

/** What Meta's answer means for the outbox. */
export function classifyCloud(status: number, parsed: GraphError | null | undefined, refusedMs = 60_000): SendResult & { code?: number } {
  if (status >= 200 && status < 300) return { ok: true };
  const e: NonNullable<GraphError['error']> = isObject(parsed) && isObject(parsed.error) ? parsed.error : {};
  const code = typeof e.code === 'number' ? e.code : status;
  const reason = `${code}: ${e.message ?? 'no description'}${e.error_data?.details ? ` (${e.error_data.details})` : ''}`.slice(0, 300);
  if (RATE_LIMITED[code] !== undefined) return { ok: false, kind: 'retry', afterMs: RATE_LIMITED[code]!, reason, code };
  if (status === 429) return { ok: false, kind: 'retry', afterMs: 5_000, reason, code };
  if (GONE.has(code)) return { ok: false, kind: 'gone', reason, code };
  if (TOKEN.has(code) || ACCOUNT.has(code)) return { ok: false, kind: 'retry', afterMs: refusedMs, reason, code };
  if (code === OUTSIDE_WINDOW) return { ok: false, kind: 'permanent', reason, code };
  if (status >= 500 || status === 0) return { ok: false, kind: 'transient', reason, code };
  if (status === 400 || status === 404) return { ok: false, kind: 'permanent', reason, code };
  return { ok: false, kind: 'transient', reason, code };
}

/** How long to wait for Meta's answer: long, so that a slow answer is waited out rather than sent twice. */
export const SEND_TIMEOUT_MS = 5 * 60_000;
const NOTICE_TIMEOUT_MS = 10_000;


/** What an upload became: Meta's media id, or a failure classified as a send's would be. */
export type UploadResult = { ok: true; id: string } | (Exclude<SendResult, { ok: true }> & { code?: number });

/** Meta's media ids: digits (a bound on anything else). */
const MEDIA_ID = /^[A-Za-z0-9._-]{1,200}$/;
const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'video/mp4': 'mp4', 'video/3gpp': '3gp' };

/** POST /{phone-number-id}/messages (and /media, uploads) over a keep-alive connection; never throws. */
export class GraphSender {
  private readonly url: URL;
  private readonly mediaUrl: URL;
  private readonly auth: string;
  private readonly request: typeof httpRequest;

  constructor(
    apiRoot: string,
    phoneNumberId: string,
    token: string,
    private readonly agent: HttpAgent | HttpsAgent,
    private readonly timeoutMs = SEND_TIMEOUT_MS,
    private readonly refusedMs = 60_000,
  ) {
    const base = `${apiRoot.replace(/\/$/, '')}/${phoneNumberId}`;
    this.url = new URL(`${base}/messages`);
    this.mediaUrl = new URL(`${base}/media`);
    this.auth = `Bearer ${token}`;
    this.request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
  }

  /** Sends one message kept as JSON (without `to`), adding the recipient without parsing it. */
  sendJson(to: string, json: string, hooks?: SendHooks): Promise<SendResult & { code?: number }> {
    const rest = json.length > 2 ? `,${json.slice(1)}` : '}';
    return this.post(`{"messaging_product":"whatsapp","recipient_type":"individual","to":"${to}"${rest}`, hooks);
  }

  /** Tells Meta the person's message was read (the two blue ticks): best effort. */
  markRead(messageId: string): Promise<SendResult> {
    return this.post(JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: messageId }));
  }

  /**
   * Uploads a file: POST /{phone-number-id}/media as multipart/form-data with `messaging_product`
   * (whatsapp), `type` (its MIME type) and `file` (the bytes, with that content type); Meta answers
   * `{ "id": "<MEDIA_ID>" }` (Cloud API reference, "Media", upload media). Not a message: no hook.
   */
  async upload(bytes: Buffer, mime: string): Promise<UploadResult> {
    const boundary = `waspada-${randomBytes(12).toString('hex')}`;
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(
        `${field('messaging_product', 'whatsapp')}${field('type', mime)}` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="waspada.${EXTENSION[mime] ?? 'bin'}"\r\nContent-Type: ${mime}\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await this.call(this.mediaUrl, body, `multipart/form-data; boundary=${boundary}`);
    if ('error' in r) return { ok: false, kind: 'transient', reason: `upload: ${r.error}` };
    let parsed: (GraphError & { id?: unknown }) | null = null;
    try {
      parsed = JSON.parse(r.text) as GraphError & { id?: unknown };
    } catch {
      /* not JSON: a proxy in between */
    }
    if (r.status >= 200 && r.status < 300) {
      const id = parsed?.id;
      return typeof id === 'string' && MEDIA_ID.test(id) ? { ok: true, id } : { ok: false, kind: 'transient', reason: 'upload: Meta answered without a media id' };
    }
    const c = classifyCloud(r.status, parsed, this.refusedMs) as Exclude<SendResult, { ok: true }> & { code?: number };
    return { ...c, reason: `upload: ${c.reason}` };
  }

  private async post(body: string, hooks?: SendHooks): Promise<SendResult & { code?: number }> {
    const r = await this.call(this.url, body, 'application/json', hooks);
    if ('error' in r) return { ok: false, kind: 'transient', reason: r.error };
    if (r.status >= 200 && r.status < 300) {
      // { messages: [{ id: "wamid…" }] }: the id the statuses of this message will carry.
      const m = /"id"\s*:\s*"(wamid\.[A-Za-z0-9._=+/-]{1,200})"/.exec(r.text);
      return m ? { ok: true, ref: m[1]! } : { ok: true };
    }
    let parsed: GraphError | null = null;
    try {
      parsed = JSON.parse(r.text) as GraphError | null;
    } catch {
      /* not JSON: a proxy in between */
    }
    return classifyCloud(r.status, parsed, this.refusedMs);
  }

  /** One request: Meta's status and answer, or what went wrong on the way. */
  private call(url: URL, body: string | Buffer, contentType: string, hooks?: SendHooks): Promise<{ status: number; text: string } | { error: string }> {
    return new Promise((resolve) => {
      const req = this.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': contentType, authorization: this.auth, 'content-length': Buffer.byteLength(body) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e) => resolve({ error: e.message }));
        },
      );
      beforeBytes(req, hooks);
      req.on('timeout', () => req.destroy(new Error(`no answer from the Graph API within ${this.timeoutMs} ms`)));
      req.on('error', (e) => resolve({ error: e.message }));
      req.end(body);
    });
  }
}

/** A message template approved in WhatsApp Manager (data/whatsapp-templates.yaml). */
export interface Template {
  name: string;
  language: string;
}

export { TemplateFile };

/** Reads and checks data/whatsapp-templates.yaml (only when a template is needed: YAML is not loaded at start). */
export async function loadTemplates(file = TEMPLATES_FILE): Promise<TemplateFile['templates']> {
  const { parse } = await import('yaml');
  return TemplateFile.parse(parse(await readFile(file, 'utf8'))).templates;
}

/** The template that tells a person outside the 24-hour window that a message waits for them. */
export const WAITING_TEMPLATE = 'message_waiting';
/** How long a sent message's status is kept. */
const STATUS_TTL_S = 7 * 24 * 3600;
/** How long one person is sent the waiting template at most once (one push can be several messages). */
const TEMPLATE_EVERY_MS = 10 * 60_000;
/**
 * How long Meta's media id of an uploaded file is kept: "Media IDs returned by the API expire after 30
 * days" (Cloud API reference, "Media"); a day less, so that an id kept is one Meta still has.
 */
export const MEDIA_ID_TTL_S = 29 * 24 * 3600;
/** Deletes KEYS[1] only while it holds ARGV[1]. */
const FORGET_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Meta's answer to a message naming a media id it does not have: "(#100) Param image['id'] is not a
 * valid whatsapp business account media attachment ID" (the parameter's path varies: a template's
 * header names its component).
 */
export function unknownMedia(r: { code?: number; reason: string }): boolean {
  return r.code === 100 && /not a valid whatsapp business account media attachment id/i.test(r.reason);
}


type Health = { token: 'ok' | 'refused'; last_error: string | null; since: string | null };

export class WhatsAppCloudChannel implements Channel {
  readonly name = WHATSAPP;
  readonly limits: ChannelLimits;
  private readonly s: WhatsAppCloudSettings;
  private readonly log: Logger;
  private readonly inbox: Inbox;
  private readonly recipients: Recipients;
  private readonly api: GraphSender;
  /** For read receipts, templates and notices: a short wait, they are best effort. */
  private readonly direct: GraphSender;
  private readonly phoneId: string;
  private templates: Promise<TemplateFile['templates']> | null = null;
  /** person → when they were last sent the waiting template (per process; see TEMPLATE_EVERY_MS). */
  private readonly templated = new Map<string, number>();
  private state: Health = { token: 'ok', last_error: null, since: null };
  private readonly redis: ChannelDeps<WhatsAppCloudSettings>['redis'];
  private readonly base: string;
  /** Pictures and videos of campaigns, by the SHA-256 of their bytes (shared by every process). */
  private readonly media: MediaStore;
  /** Files being looked up or uploaded by this process, by their SHA-256. */
  private readonly uploading = new Map<string, ReturnType<WhatsAppCloudChannel['lookUpOrUpload']>>();

  constructor(deps: ChannelDeps<WhatsAppCloudSettings>, templates?: () => Promise<TemplateFile['templates']>) {
    this.s = deps.settings;
    this.log = deps.log ?? silentLogger;
    this.inbox = deps.inbox;
    this.recipients = deps.recipients;
    this.redis = deps.redis;
    this.base = deps.keys.channel(WHATSAPP);
    this.media = new MediaStore(deps.redis, deps.keys);
    this.phoneId = this.s.WHATSAPP_PHONE_NUMBER_ID!;
    const root = this.s.WHATSAPP_CLOUD_API_ROOT;
    this.api = new GraphSender(root, this.phoneId, this.s.WHATSAPP_ACCESS_TOKEN!, keepAliveAgent(root), SEND_TIMEOUT_MS, this.s.WHATSAPP_REFUSED_RETRY_SECONDS * 1000);
    this.direct = new GraphSender(root, this.phoneId, this.s.WHATSAPP_ACCESS_TOKEN!, keepAliveAgent(root), NOTICE_TIMEOUT_MS);
    this.limits = { perSecond: this.s.WHATSAPP_RATE_GLOBAL, perChatPerSecond: 1 / this.s.WHATSAPP_SECONDS_PER_CHAT, perChatBurst: this.s.WHATSAPP_BURST_PER_CHAT };
    if (templates) this.templates = templates();
  }

  routes(): Routes {
    return { [`GET ${WEBHOOK_PATH}`]: this.verification(), [`POST ${WEBHOOK_PATH}`]: this.webhook() };
  }

  /** GET /webhooks/whatsapp: Meta's check when the webhook is configured (echo the challenge). */
  verification(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    const tokenOk = secretChecker(this.s.WHATSAPP_VERIFY_TOKEN!);
    return async (req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const challenge = q.get('hub.challenge') ?? '';
      if (q.get('hub.mode') !== 'subscribe' || !tokenOk(q.get('hub.verify_token') ?? undefined) || !/^[\w.-]{1,200}$/.test(challenge)) {
        return refuse(res, 403, REFUSED.verify);
      }
      const body = Buffer.from(challenge);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
    };
  }

  /** POST /webhooks/whatsapp: checked against the app secret before anything is parsed. */
  webhook(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    const key = this.s.WHATSAPP_APP_SECRET!;
    return async (req, res) => {
      const given = req.headers['x-hub-signature-256'];
      if (typeof given !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(given)) return refuse(res, 401, REFUSED.signature);
      if (Number(req.headers['content-length'] ?? 0) > MAX_POST_BYTES) return refuse(res, 413, REFUSED.tooLarge);
      let raw: Buffer | 'too_large';
      try {
        raw = await readBody(req, MAX_POST_BYTES);
      } catch {
        return answer(res, 400, REFUSED.notJson);
      }
      if (raw === 'too_large') return refuse(res, 413, REFUSED.tooLarge);
      const want = createHmac('sha256', key).update(raw).digest();
      if (!timingSafeEqual(want, Buffer.from(given.slice(7), 'hex'))) return refuse(res, 401, REFUSED.signature);
      let contents: WebhookContents;
      try {
        contents = readWebhook(JSON.parse(raw.toString('utf8')), this.phoneId);
      } catch (e) {
        return answer(res, 400, e instanceof SyntaxError ? REFUSED.notJson : REFUSED.notWebhook);
      }
      try {
        await this.accept(contents);
        answer(res, 200, ACCEPTED);
      } catch (e) {
        // Not stored: 503, and Meta posts it again later (deliveries are deduplicated by message id).
        this.log.error({ err: (e as Error).message }, 'could not queue a WhatsApp webhook');
        answer(res, 503, REFUSED.unavailable);
      }
    };
  }

  /** Queues a post's messages (and failed statuses, which need handling) together: one round trip. */
  async accept(c: WebhookContents): Promise<void> {
    for (const e of c.errors) this.log.error({ channel: WHATSAPP, code: e.code, title: e.title }, 'WhatsApp reports an error for the number');
    // Meta posts a webhook again until it is answered 200: its messages may be handled before that
    // (not pictures: reading one takes seconds).
    const work: Promise<unknown>[] = c.messages.map(({ id, body }) =>
      this.inbox.ingest({ channel: WHATSAPP, id, body }, { user: body.user, text: body.text, direct: !body.picture }),
    );
    for (const s of c.statuses) {
      work.push(this.recordStatus(s));
      if (s.status === 'failed' && s.user) {
        const body: CloudBody = { kind: 'failed', user: s.user, ...(s.code !== undefined ? { code: s.code } : {}) };
        work.push(this.inbox.ingest({ channel: WHATSAPP, id: `failed:${s.id}`, body }));
      }
    }
    await Promise.all(work);
  }

  /** Marks the message read (blue ticks): once, when it is first taken, not for a repeat Meta posts again. */
  taken(d: Delivery): void {
    void this.direct.markRead(d.id).then((r) => {
      if (!r.ok) this.log.warn({ channel: WHATSAPP, err: r.reason }, 'could not mark a message read');
    });
  }

  async inbound(d: Delivery): Promise<Inbound | null> {
    const b = d.body as CloudMessageBody;
    if (b.kind === 'failed') {
      await this.failed(b);
      return null;
    }
    const inbound: Inbound = { channel: WHATSAPP, userId: b.user, messageId: d.id, text: b.text, media: b.media, choice: b.choice, langHint: null };
    const p = b.picture;
    if (p) {
      inbound.picture = pictureSource({ mime: p.mime, secrets: [this.s.WHATSAPP_ACCESS_TOKEN!], fetch: (max, signal) => this.fetchMedia(p.id, max, signal) });
    }
    return inbound;
  }

  /**
   * A file a person sent, by its media id (Cloud API reference, "Media"): GET /<MEDIA_ID> with the access
   * token gives `{ url, mime_type, sha256, file_size, id, messaging_product }`; a size over `maxBytes`
   * is refused there; then GET the url, with the same token, within the 5 minutes it is valid. Meta's
   * refusals (an unknown or expired id, a refused token), a 5xx or the network: 'unavailable'.
   */
  private async fetchMedia(id: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
    const root = this.s.WHATSAPP_CLOUD_API_ROOT.replace(/\/$/, '');
    const headers = { authorization: `Bearer ${this.s.WHATSAPP_ACCESS_TOKEN!}` };
    const res = await askJson('Meta media URL', `${root}/${id}`, { headers, signal });
    if (!res.ok) {
      const c = classifyCloud(res.status, res.json as GraphError | null, this.s.WHATSAPP_REFUSED_RETRY_SECONDS * 1000);
      // A refused token is said once in the logs and in /healthz, as for a send.
      this.observe(c);
      throw new PictureProblem('unavailable', `Meta media URL: ${c.ok ? res.status : c.reason}`);
    }
    const a = isObject(res.json) ? res.json : {};
    const size = byteCount(a.file_size);
    if (size !== undefined && size > maxBytes) throw overLimit(size, maxBytes);
    const mime = mimeType(a.mime_type);
    if (mime && !readableType(mime)) throw notReadable(mime);
    let url: URL;
    try {
      url = new URL(String(a.url));
    } catch {
      throw new PictureProblem('unavailable', 'Meta gave no media URL');
    }
    // The token goes only over https (over http only to an API root that is http itself: a local fake).
    const safe = url.protocol === 'https:' || (url.protocol === 'http:' && root.startsWith('http:'));
    if (!safe) throw new PictureProblem('unavailable', `Meta's media URL is not https (${url.protocol})`);
    return fetchCapped(url.href, { headers, signal }, maxBytes);
  }

  /** A message of ours that Meta could not deliver, reported later in a status. */
  private async failed(b: CloudBody): Promise<void> {
    const who = userRef(`${WHATSAPP}:${b.user}`);
    try {
      if (b.code !== undefined && GONE.has(b.code)) {
        this.log.info({ channel: WHATSAPP, chat: who, code: b.code }, 'message undeliverable; recipient marked unreachable');
        await this.recipients.markGone(WHATSAPP, b.user);
      } else if (b.code === OUTSIDE_WINDOW) {
        await this.sendWaitingTemplate(b.user);
      } else {
        this.log.warn({ channel: WHATSAPP, chat: who, code: b.code }, 'a message was not delivered');
      }
    } catch (e) {
      if (isUnavailable(e)) throw new RetryLater('redis unavailable');
      throw e;
    }
  }

  /**
   * Outside the 24-hour window only an approved template may be sent: the person is told that a
   * message waits, and what they write next opens the window again. Once per person in a while.
   */
  private async sendWaitingTemplate(user: string): Promise<void> {
    const now = Date.now();
    if ((this.templated.get(user) ?? 0) > now - TEMPLATE_EVERY_MS) return;
    this.templated.set(user, now);
    if (this.templated.size > 10_000) this.templated.delete(this.templated.keys().next().value!);
    const t = (await (this.templates ??= loadTemplates()))[WAITING_TEMPLATE];
    if (!t) {
      this.log.error({ channel: WHATSAPP }, `data/whatsapp-templates.yaml names no "${WAITING_TEMPLATE}" template: a person outside the 24-hour window is not told`);
      return;
    }
    const components = (t.buttons ?? []).map((b, i) => ({ type: 'button', sub_type: 'quick_reply', index: String(i), parameters: [{ type: 'payload', payload: b.payload }] }));
    const json = JSON.stringify({ type: 'template', template: { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) } });
    const r = await this.direct.sendJson(user, json);
    if (!r.ok) this.log.warn({ channel: WHATSAPP, chat: userRef(`${WHATSAPP}:${user}`), err: r.reason }, 'the waiting template was not sent');
  }

  render(message: Outbound): unknown[] {
    return renderOutbound(message, templatesSync);
  }

  /** Why the Cloud API cannot take this picture or video (Meta's supported media types), or null. */
  mediaProblem(media: MediaRef): string | null {
    return cloudMediaProblem(media);
  }

  /**
   * Why this campaign message cannot go as the approved campaign template (its file, or its text too
   * long for the template once its line breaks are separators), or null: what render would refuse.
   */
  campaignProblem(message: Outbound): string | null {
    return (message.media && cloudMediaProblem(message.media)) || campaignTextProblem(message.plain ?? message.text, message.media?.kind ?? 'text');
  }

  async send(to: string, message: string, hooks?: SendHooks): Promise<SendResult> {
    if (!WA_ID.test(to)) return { ok: false, kind: 'gone', reason: `not a WhatsApp id: ${to.slice(0, 20)}` };
    // Refused when rendered (a campaign text too long for its template, a file WhatsApp does not take).
    if (message.startsWith('{"refused":')) return { ok: false, kind: 'permanent', reason: String((JSON.parse(message) as { refused: unknown }).refused) };
    // A picture or video: its media id first (uploaded once), then the message that carries it.
    let media: { upload: Upload; id: string; fresh: boolean } | null = null;
    if (message.startsWith('{"upload":')) {
      const m = JSON.parse(message) as UploadingMessage;
      const got = await this.mediaId(m.upload);
      if (!got.ok) return got;
      media = { upload: m.upload, id: got.id, fresh: got.fresh };
      message = JSON.stringify(withMediaId(m, got.id));
    }
    const r = await this.api.sendJson(to, message, hooks);
    this.observe(r);
    if (r.ok && r.ref) this.track(r.ref);
    if (!r.ok && media && unknownMedia(r)) {
      // Meta no longer has the file (media ids last 30 days, or it was deleted): forget the id, and the
      // next attempt uploads it again. One just uploaded and already unknown would be so again: given up.
      if (media.fresh) return { ok: false, kind: 'permanent', reason: `${r.reason} (just uploaded)` };
      await this.forgetMedia(media.upload.id, media.id);
      this.log.info({ channel: WHATSAPP, media: media.upload.id.slice(0, 12) }, 'Meta no longer knows an uploaded file; it is uploaded again');
      return { ok: false, kind: 'transient', reason: `${r.reason}; the file is uploaded again on the next attempt` };
    }
    if (!r.ok && r.code === OUTSIDE_WINDOW) {
      await this.sendWaitingTemplate(to).catch((e: Error) => this.log.warn({ channel: WHATSAPP, err: e.message }, 'the waiting template was not sent'));
      return { ok: false, kind: 'permanent', reason: `${r.reason}; the waiting template was sent instead` };
    }
    return r;
  }

  /** Where this channel keeps Meta's media id of a file (by the SHA-256 of its bytes). */
  private mediaKey(sha: string): string {
    return `${this.base}media:${sha}`;
  }

  /**
   * Meta's media id of a file: kept in Redis (every process uses it), else uploaded from MediaStore's
   * bytes. One lookup or upload per file at a time in this process: a campaign's messages waiting for
   * the same file wait for the same upload.
   */
  private mediaId(u: Upload): Promise<{ ok: true; id: string; fresh: boolean } | Exclude<SendResult, { ok: true }>> {
    let p = this.uploading.get(u.id);
    if (!p) {
      p = this.lookUpOrUpload(u).finally(() => this.uploading.delete(u.id));
      this.uploading.set(u.id, p);
    }
    return p;
  }

  private async lookUpOrUpload(u: Upload): Promise<{ ok: true; id: string; fresh: boolean } | Exclude<SendResult, { ok: true }>> {
    const what = u.kind === 'image' ? 'picture' : 'video';
    try {
      const known = await this.redis.get(this.mediaKey(u.id));
      if (known) return { ok: true, id: known, fresh: false };
      const bytes = await this.media.get(u.id);
      if (!bytes) return { ok: false, kind: 'permanent', reason: `the ${what} of this message (${u.id.slice(0, 12)}) is no longer kept in Redis: there is nothing to upload` };
      const r = await this.api.upload(bytes, u.mime);
      this.observe(r.ok ? { ok: true } : r);
      if (!r.ok) return r;
      await this.redis.set(this.mediaKey(u.id), r.id, 'EX', MEDIA_ID_TTL_S);
      this.log.info({ channel: WHATSAPP, media: u.id.slice(0, 12), bytes: bytes.length }, `a ${what} was uploaded to Meta`);
      return { ok: true, id: r.id, fresh: true };
    } catch (e) {
      return { ok: false, kind: 'transient', reason: `Redis: ${(e as Error).message}` };
    }
  }

  /** Forgets a media id Meta no longer knows (unless another process has already put a new one there). */
  private async forgetMedia(sha: string, id: string): Promise<void> {
    await this.redis.eval(FORGET_IF, 1, this.mediaKey(sha), id).catch((e: Error) => this.log.warn({ channel: WHATSAPP, err: e.message }, 'could not forget a media id'));
  }

  /**
   * A sent message's status key: a hash of Meta's id, not the id, which holds the recipient's number
   * (the id's random part keeps the hash from being matched against numbers).
   */
  private statusKey(ref: string): string {
    return `${this.base}st:${createHash('sha256').update(ref).digest('base64url').slice(0, 22)}`;
  }

  /**
   * Each message sent is recorded by Meta's id (no person, no text: its status and when), for 7 days,
   * so that the statuses Meta posts later are recorded against it: sent, delivered, read, failed.
   */
  private track(ref: string): void {
    this.redis.set(this.statusKey(ref), `accepted|${Date.now()}`, 'EX', STATUS_TTL_S).catch(() => undefined);
  }

  /** A status of a message of ours: recorded against it (if it is ours and still kept), and counted. */
  private recordStatus(s: WebhookContents['statuses'][number]): Promise<unknown> {
    const value = `${s.status}|${Date.now()}${s.code !== undefined ? `|${s.code}` : ''}`;
    return Promise.all([
      this.redis.set(this.statusKey(s.id), value, 'KEEPTTL', 'XX'),
      this.redis.hincrby(`${this.base}statuses`, s.status, 1),
    ]);
  }

  /** What became of a message sent (by Meta's id): its last status, when, and Meta's error code. */
  async statusOf(ref: string): Promise<{ status: string; at: number; code?: number } | null> {
    const v = await this.redis.get(this.statusKey(ref));
    if (!v) return null;
    const [status, at, code] = v.split('|');
    return { status: status!, at: Number(at), ...(code ? { code: Number(code) } : {}) };
  }

  /** A refused token is said once in the logs and in /healthz until a send goes through again. */
  private observe(r: SendResult & { code?: number }): void {
    if (r.ok) {
      if (this.state.token === 'refused') {
        this.log.info({ channel: WHATSAPP }, 'the WhatsApp access token works again');
        this.state = { token: 'ok', last_error: null, since: null };
      }
      return;
    }
    this.state.last_error = r.reason;
    if (r.code !== undefined && (TOKEN.has(r.code) || ACCOUNT.has(r.code)) && this.state.token === 'ok') {
      this.state = { token: 'refused', last_error: r.reason, since: new Date().toISOString() };
      this.log.error({ channel: WHATSAPP, err: r.reason }, 'Meta refuses the access token or the account: replies wait until WHATSAPP_ACCESS_TOKEN (or the account) is fixed');
    }
  }

  async notify(to: string, text: string): Promise<boolean> {
    const results = await Promise.all(renderCloud({ text }).map((m) => this.direct.sendJson(to, JSON.stringify(m))));
    return results.every((r) => r.ok);
  }

  health(): Record<string, unknown> {
    return { mode: 'cloud-api', ...this.state };
  }
}

export const whatsappCloud: ChannelModule<WhatsAppCloudSettings> = {
  name: WHATSAPP,
  settings: SETTINGS,
  signals: ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'],
  missing(s) {
    const out: string[] = [];
    if (!s.WHATSAPP_ACCESS_TOKEN) out.push('WHATSAPP_ACCESS_TOKEN: needed to send on the WhatsApp Cloud API');
    if (!s.WHATSAPP_PHONE_NUMBER_ID) out.push('WHATSAPP_PHONE_NUMBER_ID: the phone number ID to send from (WhatsApp Manager > API setup)');
    if (!s.WHATSAPP_APP_SECRET) out.push('WHATSAPP_APP_SECRET: needed to check that webhook posts come from Meta');
    if (!s.WHATSAPP_VERIFY_TOKEN) out.push('WHATSAPP_VERIFY_TOKEN: the token you give Meta when you set the webhook');
    return out;
  },
  userId: WA_ID,
  create: (deps) => new WhatsAppCloudChannel(deps),
};
