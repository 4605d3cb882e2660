// WhatsApp Cloud API messages: what a reply becomes (text, reply buttons, a list, or numbered text
// when the choices do not fit Meta's limits; a picture or video by its media id; a campaign as an
// approved template), and what the webhook's messages become for the inbox.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { ROOT } from '../content/index.js';
import type { Outbound } from '../content/render.js';
import type { MediaKind } from '../conversation/service.js';
import type { MediaRef } from '../engine/types.js';
import { splitBy } from './split.js';

/** Meta's limits for a message's parts. */
export const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  replyId: 256,
  /** A picture's or video's caption (Cloud API reference, "Messages": media object, caption). */
  caption: 1024,
  /** A template's body, its own text and its parameters together (see campaignTextProblem). */
  templateBody: 1024,
} as const;

/** A message as the Graph API takes it, without `messaging_product` and `to` (added when sending). */
export type CloudMessage =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | {
      type: 'interactive';
      interactive:
        | { type: 'button'; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
        | {
            type: 'list';
            body: { text: string };
            action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] };
          };
    };

const chars = (s: string) => [...s].length;
const cut = (s: string, n: number) => {
  const cps = [...s];
  return cps.length <= n ? s : `${cps.slice(0, n - 1).join('')}…`;
};

/** Splits text into pieces of at most `limit` characters, at paragraph, then line, then word boundaries. */
export function splitPlain(text: string, limit: number): string[] {
  return splitBy(text, limit, chars);
}

const textMessage = (body: string): CloudMessage => ({ type: 'text', text: { body, preview_url: false } });

/** The reply id of a choice: the turn it belongs to (a stale one is recognised) and its id. */
export const replyId = (turn: number | undefined, id: string) => `${turn ?? 0}:${id}`.slice(0, LIMITS.replyId);

/**
 * One reply as Cloud API messages. Choices become reply buttons (at most 3, titles of at most 20
 * characters), else a list (at most 10 rows, titles of at most 24 characters, the whole label as the
 * row's description when it is longer, up to 72), else numbered lines under the text: a typed number
 * or label is a choice too. Text beyond a message's limit is split at paragraph, line or word
 * boundaries; the choices go with the last piece, which an interactive message keeps within 1024.
 */
export function renderCloud(reply: Outbound): CloudMessage[] {
  const text = reply.text || ' ';
  const choices = reply.choices ?? [];
  const labels = choices.map((c) => c.label);
  const asButtons = choices.length > 0 && choices.length <= LIMITS.buttons && labels.every((l) => chars(l) <= LIMITS.buttonTitle);
  const asList = !asButtons && choices.length > 0 && choices.length <= LIMITS.rows && labels.every((l) => chars(l) <= LIMITS.rowDescription);
  if (!asButtons && !asList) {
    const numbered = choices.length ? `${text}\n\n${labels.map((l, i) => `${i + 1}. ${l}`).join('\n')}` : text;
    return splitPlain(numbered, LIMITS.text).map(textMessage);
  }
  // The choices' message carries the last piece of text that fits its body; what comes before goes as text.
  const pieces = splitPlain(text, LIMITS.interactiveBody);
  const last = pieces.pop()!;
  const before = pieces.length ? splitPlain(pieces.join('\n\n'), LIMITS.text).map(textMessage) : [];
  const body = { text: last };
  const interactive: CloudMessage = asButtons
    ? {
        type: 'interactive',
        interactive: {
          type: 'button',
          body,
          action: { buttons: choices.map((c) => ({ type: 'reply', reply: { id: replyId(reply.turn, c.id), title: c.label } })) },
        },
      }
    : {
        type: 'interactive',
        interactive: {
          type: 'list',
          body,
          action: {
            button: cut(reply.pick ?? '☰', LIMITS.listButton),
            sections: [
              {
                rows: choices.map((c) => {
                  const row: { id: string; title: string; description?: string } = { id: replyId(reply.turn, c.id), title: cut(c.label, LIMITS.rowTitle) };
                  if (chars(c.label) > LIMITS.rowTitle) row.description = c.label;
                  return row;
                }),
              },
            ],
          },
        },
      };
  return [...before, interactive];
}

// ---------------------------------------------------------------------------------------------
// Pictures and videos, approved templates, and campaigns.
//
// Rules relied on, from Meta's developer documentation:
// - Media (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media, "Supported media
//   types"): images image/jpeg or image/png up to 5 MB; videos video/mp4 or video/3gpp (H.264 video,
//   AAC audio) up to 16 MB. Uploaded with POST /{phone-number-id}/media; "Media IDs returned by the API
//   expire after 30 days".
// - A template's parameters (Cloud API reference, "Messages", parameter object): a body parameter's
//   text may have 1024 characters when the template has other components (a header), and "Captions
//   not supported when used in a media template": the campaign text is the body's parameter.
// - Error codes (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/):
//   132018, a parameter with a new line, a tab or more than 4 consecutive spaces ("Param text cannot
//   have new-line/tab characters or more than 4 consecutive spaces"); 132000, a wrong number of
//   parameters; 132001, a template that does not exist in that language; 131047, a free-form message
//   outside the 24-hour customer service window (only templates go outside it).

const MB = 1_000_000;

/**
 * What the Cloud API takes, by type. Sizes in decimal megabytes: Meta writes "5 MB" and "16 MB"; the
 * smaller reading is the safe one.
 */
export const MEDIA_TYPES: Readonly<Record<string, { kind: MediaRef['kind']; maxBytes: number }>> = {
  'image/jpeg': { kind: 'image', maxBytes: 5 * MB },
  'image/png': { kind: 'image', maxBytes: 5 * MB },
  'video/mp4': { kind: 'video', maxBytes: 16 * MB },
  'video/3gpp': { kind: 'video', maxBytes: 16 * MB },
};

const noun = (kind: MediaRef['kind']) => (kind === 'image' ? 'picture' : 'video');

/** Why the Cloud API cannot take this picture or video (its type or size), or null when it can. */
export function cloudMediaProblem(media: MediaRef): string | null {
  const type = MEDIA_TYPES[media.mime];
  if (!type || type.kind !== media.kind) return `WhatsApp takes pictures as JPEG or PNG and videos as MP4 or 3GPP, not ${media.mime.slice(0, 40)}`;
  if (media.bytes > type.maxBytes) {
    return `the ${noun(media.kind)} has ${(media.bytes / MB).toFixed(1)} MB; WhatsApp takes a ${noun(media.kind)} of at most ${type.maxBytes / MB} MB`;
  }
  return null;
}

/**
 * The location of the templates file (read when a template is first needed, never at start): under the
 * repository's or image's root, as the other data, from the sources as from the compiled dist/src.
 */
export const TEMPLATES_FILE = join(ROOT, 'data/whatsapp-templates.yaml');

/** {{1}}, {{2}}, ...: a template's positional parameters. */
const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;
const placeholders = (body: string): number[] => [...body.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));

const Template = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name is lower case letters, digits and _'),
    language: z.string().regex(/^[a-z]{2,3}(?:_[A-Z]{2})?$/, 'a template language is a code such as id or en_US'),
    category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']),
    /** A picture or a video shown above the body, given by media id each time the template is sent. */
    header: z.enum(['IMAGE', 'VIDEO']).optional(),
    body: z.string().min(1).max(LIMITS.templateBody),
    /** One sample value per body parameter, as Meta asks for when a template with parameters is submitted. */
    examples: z.array(z.string().min(1)).optional(),
    buttons: z.array(z.object({ text: z.string().max(25), payload: z.string().max(64) })).max(3).optional(),
  })
  .superRefine((t, ctx) => {
    const found = placeholders(t.body);
    if (found.some((n, i) => n !== i + 1)) ctx.addIssue({ code: 'custom', path: ['body'], message: 'parameters are {{1}}, {{2}}, ... each once and in order' });
    if ((t.examples?.length ?? 0) !== found.length) ctx.addIssue({ code: 'custom', path: ['examples'], message: `one example per body parameter (${found.length})` });
  });

export const TemplateFile = z.object({ templates: z.record(Template) });
export type TemplateFile = z.infer<typeof TemplateFile>;
export type Templates = TemplateFile['templates'];
export type TemplateDef = Templates[string];

/** Reads and checks a templates file (YAML's parser loaded only then). */
export function readTemplates(file = TEMPLATES_FILE): Templates {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return TemplateFile.parse(yaml.parse(readFileSync(file, 'utf8'))).templates;
}

let cached: Templates | undefined;
/** data/whatsapp-templates.yaml, read once when a campaign is first rendered or checked. */
export function templatesSync(): Templates {
  return (cached ??= readTemplates());
}

/** The templates campaign messages go as (keys in data/whatsapp-templates.yaml), by what they carry. */
export const CAMPAIGN_TEMPLATES = { text: 'campaign', image: 'campaign_image', video: 'campaign_video' } as const;
export type CampaignForm = keyof typeof CAMPAIGN_TEMPLATES;
const HEADER = { text: undefined, image: 'IMAGE', video: 'VIDEO' } as const;

/** The campaign template for a form, or why there is no usable one. */
function campaignTemplate(form: CampaignForm, templates: Templates): TemplateDef | string {
  const key = CAMPAIGN_TEMPLATES[form];
  const t = templates[key];
  const what = form === 'text' ? 'a campaign' : `a campaign with a ${noun(form)}`;
  if (!t) return `data/whatsapp-templates.yaml names no "${key}" template, so ${what} cannot go on the WhatsApp Cloud API`;
  if (t.header !== HEADER[form] || placeholders(t.body).length !== 1) {
    return `the "${key}" template in data/whatsapp-templates.yaml needs ${HEADER[form] ? `a ${HEADER[form]} header` : 'no header'} and one body parameter`;
  }
  return t;
}

/**
 * Characters are counted in UTF-16 units (an emoji counts 2): never fewer than Meta counts, so that a
 * text said to fit does fit.
 */
const units = (s: string) => s.length;

/** Room for the campaign text in a template's body: 1024 in all, less the template's own text. */
const room = (t: TemplateDef) => LIMITS.templateBody - units(t.body.replace(PLACEHOLDER, ''));

/**
 * A text as a template parameter. Meta refuses a parameter with a new line, a tab or more than 4
 * consecutive spaces (132018): paragraphs are joined by " | " and lines by " · ", so that the breaks
 * stay visible; every other run of blanks becomes one space; control characters go.
 */
export function templateParam(text: string): string {
  return (
    text
      .replace(/\r\n?|[\v\f\u0085\u2028\u2029]/g, '\n')
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
      .split(/\n[^\S\n]*\n\s*/)
      .map((para) =>
        para
          .split('\n')
          .map((line) => line.replace(/\s+/g, ' ').trim())
          .filter(Boolean)
          .join(' · '),
      )
      .filter(Boolean)
      .join(' | ')
  );
}

const FORMS = Object.keys(CAMPAIGN_TEMPLATES) as CampaignForm[];

/** How many characters of campaign text (as templateParam gives it) a campaign template has room for; without `form`, the least of them. */
export function campaignTextLimit(form?: CampaignForm, templates: Templates = templatesSync()): number {
  return Math.min(...(form ? [form] : FORMS).map((f) => {
    const t = campaignTemplate(f, templates);
    return typeof t === 'string' ? 0 : room(t);
  }));
}

/**
 * Why a campaign text cannot go as the approved WhatsApp template (none, or too long once its line
 * breaks are separators), or null. `form`: what the campaign carries (without it, every campaign
 * template is checked). For the campaign side to check before a campaign starts.
 */
export function campaignTextProblem(text: string, form?: CampaignForm, templates: Templates = templatesSync()): string | null {
  const param = templateParam(text);
  if (!param) return 'a campaign message needs a text';
  for (const f of form ? [form] : FORMS) {
    const t = campaignTemplate(f, templates);
    if (typeof t === 'string') return t;
    if (units(param) > room(t)) {
      return `the text has ${units(param)} characters once its line breaks are separators; the WhatsApp template "${t.name}" has room for ${room(t)} (Meta takes ${LIMITS.templateBody} in a template's body, its own lines included)`;
    }
  }
  return null;
}

/** A file to upload before the message goes (by the SHA-256 of its bytes in MediaStore). */
export type Upload = Pick<MediaRef, 'id' | 'kind' | 'mime' | 'bytes'>;
type MediaObject = { id?: string; caption?: string };
type MediaParameter = { type: 'image'; image: MediaObject } | { type: 'video'; video: MediaObject };
export type TemplateMessage = {
  type: 'template';
  template: {
    name: string;
    language: { code: string };
    components: ({ type: 'header'; parameters: MediaParameter[] } | { type: 'body'; parameters: { type: 'text'; text: string }[] })[];
  };
};
export type MediaMessage = { type: 'image'; image: MediaObject } | { type: 'video'; video: MediaObject };
/** A message whose file is uploaded (once) when it is sent: `upload` comes first in its JSON. */
export type UploadingMessage = { upload: Upload } & (TemplateMessage | MediaMessage);
/** A message refused before sending (the reason is the outbox's); never reaches Meta. */
export type RefusedMessage = { refused: string };
/** What the channel renders and the outbox keeps. */
export type OutMessage = CloudMessage | TemplateMessage | MediaMessage | UploadingMessage | RefusedMessage;

const uploadOf = (m: MediaRef): Upload => ({ id: m.id, kind: m.kind, mime: m.mime, bytes: m.bytes });
const mediaParameter = (kind: MediaRef['kind'], o: MediaObject): MediaParameter => (kind === 'image' ? { type: 'image', image: o } : { type: 'video', video: o });

/** The message as the Graph API takes it, with the uploaded file's media id in place of the upload note. */
export function withMediaId(m: UploadingMessage, id: string): TemplateMessage | MediaMessage {
  const { upload, ...message } = m;
  if (message.type === 'template') {
    const components = message.template.components.map((c) =>
      c.type === 'header' ? { ...c, parameters: c.parameters.map((p) => mediaParameter(p.type, { ...(p.type === 'image' ? p.image : p.video), id })) } : c,
    );
    return { ...message, template: { ...message.template, components } };
  }
  const o = message.type === 'image' ? message.image : message.video;
  return mediaParameter(upload.kind, { id, ...(o.caption !== undefined ? { caption: o.caption } : {}) }) as MediaMessage;
}

/**
 * A campaign message as the approved campaign template for what it carries (text only, a picture or a
 * video in the header), its text the body's one parameter. One that cannot go (text too long, a file
 * WhatsApp does not take, no such template) is refused here, with the reason, and never sent.
 */
function renderCampaign(reply: Outbound, templates: () => Templates): TemplateMessage | UploadingMessage | RefusedMessage {
  const media = reply.media;
  const form: CampaignForm = media ? media.kind : 'text';
  let all: Templates;
  try {
    all = templates();
  } catch (e) {
    return { refused: `campaign message not sent: data/whatsapp-templates.yaml cannot be used (${(e as Error).message.slice(0, 300)})` };
  }
  // The campaign's own words: the template has its own opening and "reply STOP" lines.
  const text = reply.plain ?? reply.text;
  const problem = (media && cloudMediaProblem(media)) || campaignTextProblem(text, form, all);
  if (problem) return { refused: `campaign message not sent: ${problem}` };
  const t = campaignTemplate(form, all) as TemplateDef;
  const body = { type: 'body' as const, parameters: [{ type: 'text' as const, text: templateParam(text) }] };
  const head = { name: t.name, language: { code: t.language } };
  if (!media) return { type: 'template', template: { ...head, components: [body] } };
  return { upload: uploadOf(media), type: 'template', template: { ...head, components: [{ type: 'header', parameters: [mediaParameter(media.kind, {})] }, body] } };
}

/**
 * One outgoing message as what the Cloud API channel sends: a campaign as its approved template; a
 * picture or video by media id (uploaded when it is sent) with the text as its caption when it fits and
 * no choices go with it (else the text and choices follow as today); anything else as renderCloud.
 */
export function renderOutbound(reply: Outbound, templates: () => Templates = templatesSync): OutMessage[] {
  if (reply.campaign) return [renderCampaign(reply, templates)];
  const media = reply.media;
  if (!media) return renderCloud(reply);
  const rest: Outbound = { ...reply };
  delete rest.media;
  const hasText = reply.text.trim().length > 0;
  const problem = cloudMediaProblem(media);
  if (problem) return [{ refused: `${noun(media.kind)} not sent: ${problem}` }, ...(hasText || reply.choices?.length ? renderCloud(rest) : [])];
  const asCaption = hasText && !reply.choices?.length && chars(reply.text) <= LIMITS.caption;
  const message = { upload: uploadOf(media), ...mediaParameter(media.kind, asCaption ? { caption: reply.text } : {}) } as UploadingMessage;
  return [message, ...(asCaption || (!hasText && !reply.choices?.length) ? [] : renderCloud(rest))];
}

/** What the inbox keeps of one WhatsApp message: only what handling it needs (no profile name). */
export interface CloudBody {
  kind: 'message' | 'failed';
  /** The person's WhatsApp id (their number, digits only). */
  user: string;
  text?: string;
  media?: MediaKind;
  choice?: { id: string; turn?: number };
  /** A message of ours that failed: Meta's error code. */
  code?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
/** A WhatsApp id is a phone number in digits. */
export const WA_ID = /^\d{5,20}$/;
/** Message ids (`wamid.` and base64): bounded, no spaces or separators of our keys. */
export const MESSAGE_ID = /^[A-Za-z0-9._=+/-]{1,200}$/;
const REPLY_ID = /^(\d{1,9}):([a-z0-9_-]{1,40})$/;
const MAX_TEXT = 4096;

const MEDIA: Record<string, MediaKind> = {
  image: 'photo', video: 'video', sticker: 'sticker', location: 'location', contacts: 'contact', document: 'document',
};

/**
 * One message of a webhook as what the inbox keeps; null for messages Waspada does not answer
 * (reactions, a changed number, anything from a group). A message of a kind it does not know is kept
 * as one, so that the person is still answered.
 */
export function messageToBody(m: Record<string, unknown>): CloudBody | null {
  const from = m.from;
  if (typeof from !== 'string' || !WA_ID.test(from)) return null;
  // Messages in groups carry a group id: Waspada talks to people one to one.
  if (m.group_id !== undefined) return null;
  const body: CloudBody = { kind: 'message', user: from };
  const type = m.type;
  const part = typeof type === 'string' && isObject(m[type]) ? (m[type] as Record<string, unknown>) : {};
  switch (type) {
    case 'text': {
      const t = str(part.body, MAX_TEXT);
      if (t === undefined) body.media = 'other';
      else body.text = t;
      return body;
    }
    case 'interactive': {
      const reply = isObject(part.button_reply) ? part.button_reply : isObject(part.list_reply) ? part.list_reply : null;
      if (!reply) {
        body.media = 'other';
        return body;
      }
      const id = typeof reply.id === 'string' ? REPLY_ID.exec(reply.id) : null;
      // An id we did not make is handled as a stale button.
      body.choice = id ? { id: id[2]!, turn: Number(id[1]) } : { id: '', turn: -1 };
      return body;
    }
    case 'button': {
      // A quick reply of a template: its payload is a command we wrote (e.g. /menu), else its text.
      const payload = str(part.payload, 64);
      const t = payload && /^\/[a-z]{2,16}$/.test(payload) ? payload : str(part.text, MAX_TEXT);
      if (t === undefined) body.media = 'other';
      else body.text = t;
      return body;
    }
    case 'audio':
      body.media = part.voice === true ? 'voice' : 'audio';
      return body;
    case 'document':
      body.media = typeof part.mime_type === 'string' && part.mime_type.startsWith('image/') ? 'image' : 'document';
      break;
    case 'reaction':
    case 'system':
      return null;
    default:
      // Own keys only: a type such as "constructor" or "__proto__" named Object's function or prototype.
      body.media = (typeof type === 'string' && Object.hasOwn(MEDIA, type) && MEDIA[type]) || 'other';
  }
  const caption = str(part.caption, MAX_TEXT);
  if (caption !== undefined) body.text = caption;
  return body;
}
