// WhatsApp through whatsapp-web.js, the pure half: which incoming messages Waspada takes and what the
// inbox keeps of them, what a reply becomes (plain text with numbered choices: this client has no
// reliable buttons), and what a failed send means for the outbox.
import type { Outbound } from '../content/render.js';
import type { MediaKind } from '../conversation/service.js';
import type { SendResult } from './port.js';
import { splitPlain } from './whatsapp-cloud-render.js';

export const WHATSAPP_WEB = 'whatsapp-web';
/** Longest text in one message (WhatsApp takes more; kept to the Cloud API's limit, which readers know). */
export const MAX_MESSAGE = 4096;

/**
 * What the inbox keeps of a message: only what answering it needs. `chat` is the person's WhatsApp
 * address, `628123456789@c.us` (or `…@lid` where WhatsApp hides the number), where replies go.
 */
export interface WwebBody {
  kind: 'message';
  chat: string;
  text?: string;
  media?: MediaKind;
}

/** The fields of whatsapp-web.js's Message that are read here (all optional: nothing is trusted). */
export interface WwebMessage {
  id?: { id?: string; _serialized?: string; fromMe?: boolean };
  from?: string;
  body?: string;
  type?: string;
  fromMe?: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  hasMedia?: boolean;
  timestamp?: number;
  _data?: { mimetype?: string };
  /** Fetches the picture or file (the pictures issue reads offers from images through it). */
  downloadMedia?: () => Promise<unknown>;
}

/** A private chat: a number (or a hidden-number id) at c.us or lid. Groups, broadcasts, channels are not. */
const PRIVATE_CHAT = /^[0-9]{5,24}@(?:c\.us|lid)$/;
/** WhatsApp's message ids: letters and digits, at most a few dozen. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{4,64}$/;

/** whatsapp-web.js message types that a person sent as something other than text. */
const MEDIA_TYPES: Record<string, MediaKind> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  ptt: 'voice',
  sticker: 'sticker',
  document: 'document',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
};
/** Types whose body is a caption the person wrote (a location's or contact card's body is not: it is a thumbnail or a card). */
const CAPTIONED = new Set(['image', 'video', 'document']);
/** What WhatsApp itself adds to a chat (notices, revoked messages, call records, undecrypted ones): nobody wrote it. */
const NOT_WRITTEN = new Set([
  'revoked', 'e2e_notification', 'notification', 'notification_template', 'protocol', 'gp2', 'group_notification',
  'call_log', 'ciphertext', 'broadcast_notification', 'debug', 'reaction',
]);

/**
 * A message as the inbox keeps it, or null for what Waspada does not answer: groups, status updates,
 * broadcast lists, channels, its own messages, WhatsApp's notices. Text is cut to 4096 characters;
 * a caption comes as text; a location or contact card carries no text (its body is not words).
 */
export function messageToBody(m: WwebMessage): WwebBody | null {
  if (!m || typeof m !== 'object') return null;
  if (m.fromMe === true || m.id?.fromMe === true || m.isStatus === true || m.broadcast === true) return null;
  if (typeof m.from !== 'string' || !PRIVATE_CHAT.test(m.from)) return null;
  const type = typeof m.type === 'string' ? m.type : 'unknown';
  if (NOT_WRITTEN.has(type)) return null;
  const body: WwebBody = { kind: 'message', chat: m.from };
  const said = typeof m.body === 'string' ? m.body : '';
  if (type === 'chat') {
    body.text = said.slice(0, MAX_MESSAGE);
    return body;
  }
  const media = MEDIA_TYPES[type];
  body.media = type === 'document' && m._data?.mimetype?.startsWith('image/') ? 'image' : (media ?? 'other');
  if (CAPTIONED.has(type) && said) body.text = said.slice(0, MAX_MESSAGE);
  return body;
}

/** The inbox's id for a message: the message's own id (WhatsApp's, random per message); null when it has none usable. */
export function messageId(m: WwebMessage): string | null {
  const id = m.id?.id;
  return typeof id === 'string' && MESSAGE_ID.test(id) ? id : null;
}

/** A message as whatsapp-web.js sends it: plain text (WhatsApp's own *bold* and _italic_ marks pass as they are). */
export interface WwebOut {
  text: string;
}

/**
 * One reply as WhatsApp messages: the text, then a blank line and its choices as numbered lines (a
 * typed number or label is a choice: see the engine's matchChoice), split at paragraph, line or word
 * boundaries into pieces of at most 4096 characters.
 */
export function renderWweb(reply: Outbound): WwebOut[] {
  const text = reply.text || ' ';
  const menu = reply.choices?.length ? `\n\n${reply.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}` : '';
  return splitPlain(text + menu, MAX_MESSAGE).map((piece) => ({ text: piece }));
}

/** Errors of sendMessage that mean the address is no WhatsApp account (a number not registered, a malformed id). */
const GONE = /invalid wid|wid error|no lid for user|not registered|not a whatsapp/i;

/**
 * What a failed sendMessage means. The number is not on WhatsApp: `gone`. Anything else (the page
 * crashed or navigated, Chromium closed, a timeout) may pass: `transient`, tried again with back-off.
 */
export function classifySendError(e: unknown): SendResult {
  const reason = (e instanceof Error ? e.message : String(e)).slice(0, 200);
  if (GONE.test(reason)) return { ok: false, kind: 'gone', reason };
  return { ok: false, kind: 'transient', reason };
}
