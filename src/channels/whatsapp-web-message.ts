// WhatsApp through whatsapp-web.js, the pure half: which incoming messages Waspada takes and what the
// inbox keeps of them (of a picture, only where to find its message again), what a reply becomes (plain
// text with numbered choices: this client has no reliable buttons; a campaign's picture or video with
// the text as its caption), which files WhatsApp takes, and what a failed send means for the outbox.
import type { Outbound } from '../content/render.js';
import type { MediaKind } from '../conversation/service.js';
import type { MediaRef } from '../engine/types.js';
import { imageType } from './picture-source.js';
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
  /** A picture: how to find its message again on the linked phone. Never the picture itself. */
  picture?: WwebPicture;
}

/**
 * A picture a person sent, as the inbox keeps it: the message's serialized id (`false_<chat>_<id>`), by
 * which the process holding the linked phone finds it again and downloads the file when the message is
 * handled, and what WhatsApp said of the file (its size and type) before any download.
 */
export interface WwebPicture {
  msg: string;
  bytes?: number;
  mime?: string;
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
  /** WhatsApp Web's own record of the message: a file's type and size (bytes) before any download. */
  _data?: { mimetype?: string; size?: number };
  /** Downloads the file (whatsapp-web.js's MessageMedia: mimetype, base64 data, filesize), or undefined. */
  downloadMedia?: () => Promise<unknown>;
}

/** A private chat: a number (or a hidden-number id) at c.us or lid. Groups, broadcasts, channels are not. */
const PRIVATE_CHAT = /^[0-9]{5,24}@(?:c\.us|lid)$/;
/** WhatsApp's message ids: letters and digits, at most a few dozen. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{4,64}$/;
/** A message's serialized id, as getMessageById takes it: `false_<chat>_<id>` for one a person sent. */
const SERIALIZED = /^false_([0-9]{5,24}@(?:c\.us|lid))_([A-Za-z0-9]{4,64})$/;

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
  // Own keys only: a type such as "constructor" named Object's function.
  const media = Object.hasOwn(MEDIA_TYPES, type) ? MEDIA_TYPES[type] : undefined;
  const mimetype = m._data?.mimetype;
  body.media = type === 'document' && typeof mimetype === 'string' && mimetype.startsWith('image/') ? 'image' : (media ?? 'other');
  if (CAPTIONED.has(type) && said) body.text = said.slice(0, MAX_MESSAGE);
  const picture = body.media === 'photo' || body.media === 'image' ? pictureOf(m) : undefined;
  if (picture) body.picture = picture;
  return body;
}

/**
 * Where to find a picture again: its message's serialized id, when it names this message (its chat
 * and id) and the message has a file to download; what WhatsApp said of the file, where it is sane.
 */
function pictureOf(m: WwebMessage): WwebPicture | undefined {
  const serialized = m.id?._serialized;
  const parts = typeof serialized === 'string' ? SERIALIZED.exec(serialized) : null;
  if (!parts || parts[1] !== m.from || parts[2] !== m.id?.id || m.hasMedia !== true) return undefined;
  const picture: WwebPicture = { msg: serialized! };
  const size = m._data?.size;
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) picture.bytes = size;
  const mime = imageType(m._data?.mimetype);
  if (mime) picture.mime = mime;
  return picture;
}

/** The inbox's id for a message: the message's own id (WhatsApp's, random per message); null when it has none usable. */
export function messageId(m: WwebMessage): string | null {
  const id = m.id?.id;
  return typeof id === 'string' && MESSAGE_ID.test(id) ? id : null;
}

/**
 * A message as whatsapp-web.js sends it: plain text (WhatsApp's own *bold* and _italic_ marks pass as
 * they are); with `media`, a picture or video (its bytes stay in Redis, MediaStore) and `text` its
 * caption, possibly empty.
 */
export interface WwebOut {
  text: string;
  media?: MediaRef;
}

// What WhatsApp takes, as Meta documents it for the Cloud API ("Supported media types",
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types, read
// in AWS's copy of the table, https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html):
// images JPEG or PNG up to 5 MB, videos MP4 or 3GPP up to 16 MB (H.264 with AAC). A linked phone sends
// through the same WhatsApp, so the same limits hold. Captions: at most 1024 characters (Meta's
// "Image messages" page, https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages/).
// MB as 2^20 bytes, as MediaStore counts them.
export const MAX_CAPTION = 1024;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 16 * 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
const VIDEO_TYPES = new Set(['video/mp4', 'video/3gpp', 'video/3gp']);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Why WhatsApp cannot take this file as a picture or video, or null when it can. */
export function wwebMediaProblem(m: MediaRef): string | null {
  if (m.kind === 'image') {
    if (!IMAGE_TYPES.has(m.mime)) return `WhatsApp takes pictures as JPEG or PNG, not ${m.mime}`;
    if (m.bytes > MAX_IMAGE_BYTES) return `the picture has ${mb(m.bytes)}; WhatsApp takes pictures of at most 5 MB`;
    return null;
  }
  if (m.kind === 'video') {
    if (!VIDEO_TYPES.has(m.mime)) return `WhatsApp takes videos as MP4 or 3GPP, not ${m.mime}`;
    if (m.bytes > MAX_VIDEO_BYTES) return `the video has ${mb(m.bytes)}; WhatsApp takes videos of at most 16 MB`;
    return null;
  }
  return `WhatsApp cannot send a file of kind ${String((m as { kind?: unknown }).kind)}`;
}

/**
 * One reply as WhatsApp messages: the text, then a blank line and its choices as numbered lines (a
 * typed number or label is a choice: see the engine's matchChoice), split at paragraph, line or word
 * boundaries into pieces of at most 4096 characters. With a picture or video: the file, the text as its
 * caption when it fits in 1024 characters, else the file without caption and then the text.
 */
export function renderWweb(reply: Outbound): WwebOut[] {
  const menu = reply.choices?.length ? `\n\n${reply.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}` : '';
  if (reply.media) {
    // A picture or video: the text (and menu) as its caption, or, longer than a caption may be, the file alone and then the text.
    const caption = (reply.text ?? '') + menu;
    if (!caption.trim()) return [{ text: '', media: reply.media }];
    if (caption.length <= MAX_CAPTION) return [{ text: caption, media: reply.media }];
    return [{ text: '', media: reply.media }, ...splitPlain(caption, MAX_MESSAGE).map((piece) => ({ text: piece }))];
  }
  const text = reply.text || ' ';
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
