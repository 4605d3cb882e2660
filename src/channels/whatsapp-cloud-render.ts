// WhatsApp Cloud API messages: what a reply becomes (text, reply buttons, a list, or numbered text
// when the choices do not fit Meta's limits), and what the webhook's messages become for the inbox.
import type { Outbound } from '../content/render.js';
import type { MediaKind } from '../conversation/service.js';
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
      body.media = (typeof type === 'string' && MEDIA[type]) || 'other';
  }
  const caption = str(part.caption, MAX_TEXT);
  if (caption !== undefined) body.text = caption;
  return body;
}
