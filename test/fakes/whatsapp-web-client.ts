// A fake whatsapp-web.js: clients that emit the library's events (qr, authenticated, ready, message,
// disconnected, auth_failure, change_state, call) when a test says so, and record every sendMessage,
// text or a picture or video (a MessageMedia made by the client's media(), with its caption).
// Its factory stands in for the real one (the channel builds a new client on each reconnect).
// Pictures people send (`picture`) stay on the phone's side, as in WhatsApp Web: the message emitted
// carries hasMedia and the file's type and size (`_data`), and a client finds it again by its serialized
// id (getMessageById: a new Message object, null once `forget` removed it) and downloads it
// (downloadMedia: a MessageMedia with base64 data and filesize; undefined once the file `expire`d on
// WhatsApp's servers); every download is counted (`downloads`).
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { expect } from 'vitest';
import type { WwebClient, WwebClientFactory, WwebMedia, WwebSendOptions } from '../../src/channels/whatsapp-web-client.js';
import type { WwebMessage } from '../../src/channels/whatsapp-web-message.js';

export interface FakeSend {
  chat: string;
  /** The text, or a file's caption ('' for none). */
  text: string;
  /** A picture or video sent: its type, name, size and the SHA-256 of its bytes. */
  media?: { mimetype: string; filename: string | null; bytes: number; sha256: string };
  /** Date.now() when sendMessage was called. */
  at: number;
  /** Which client (0, 1, ...) sent it. */
  client: number;
}

/** Stands in for whatsapp-web.js's MessageMedia (same fields). */
export class FakeMessageMedia implements WwebMedia {
  constructor(
    readonly mimetype: string,
    readonly data: string,
    readonly filename: string | null = null,
    readonly filesize: number | null = null,
  ) {}
}

/** A picture a person sent, as WhatsApp keeps it for the linked phone. */
interface PhoneFile {
  message: WwebMessage;
  mimetype: string;
  /** Its bytes, or only its size (a big file: the bytes are made up when downloaded). */
  content: Buffer | number;
  filename: string | null;
  /** The file is gone from WhatsApp's servers: downloadMedia gives undefined. */
  expired?: boolean;
  /** downloadMedia throws this (the page crashed, a timeout). */
  fails?: string;
}

/** What a client does when initialized: emit the events a real one would in that situation. */
export type Opening = 'ready' | 'qr' | 'auth_failure' | { error: string };

export class FakeWwebClient extends EventEmitter implements WwebClient {
  destroyed = false;
  initialized = false;
  info = { wid: { user: '6280000000000' } };

  constructor(
    private readonly world: FakeWhatsapp,
    readonly index: number,
  ) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    const opening = this.world.opening;
    await new Promise((r) => setImmediate(r));
    if (this.destroyed) return;
    if (typeof opening === 'object') throw new Error(opening.error);
    if (opening === 'auth_failure') {
      this.emit('auth_failure', 'Unable to log in: restored session rejected');
      return;
    }
    this.emit('qr', `2@fake-qr-${this.index}`);
    if (opening === 'qr') return;
    this.emit('authenticated');
    this.emit('loading_screen', 100, 'WhatsApp');
    this.emit('ready');
  }

  media(mimetype: string, base64: string, filename?: string): WwebMedia {
    return new FakeMessageMedia(mimetype, base64, filename ?? null);
  }

  async getMessageById(id: string): Promise<WwebMessage | null> {
    if (this.destroyed) throw new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
    this.world.lookups.push(id);
    const file = this.world.files.get(id);
    if (!file) return null;
    // A new Message object each time, as the library builds one from the page's model.
    return { ...file.message, id: { ...file.message.id }, _data: { ...file.message._data }, downloadMedia: () => this.world.downloadMedia(id) };
  }

  async sendMessage(chatId: string, content: string | WwebMedia, options: WwebSendOptions = {}): Promise<unknown> {
    if (this.destroyed) throw new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
    const refused = this.world.refuse.get(chatId);
    if (refused) throw new Error(refused);
    if (typeof content === 'string') {
      this.world.sends.push({ chat: chatId, text: content, at: Date.now(), client: this.index });
    } else {
      // The library sends a file only as its own MessageMedia; anything else it does not take as one.
      if (!(content instanceof FakeMessageMedia)) throw new Error('not a MessageMedia: make it with the client\'s media()');
      const bytes = Buffer.from(content.data, 'base64');
      if (!bytes.length || bytes.toString('base64') !== content.data) throw new Error('MessageMedia data is not base64 of a file');
      const media = { mimetype: content.mimetype, filename: content.filename, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      this.world.sends.push({ chat: chatId, text: options.caption ?? '', media, at: Date.now(), client: this.index });
    }
    return { id: { _serialized: `true_${chatId}_${randomBytes(8).toString('hex')}` } };
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  async getState(): Promise<string | null> {
    return this.destroyed ? null : 'CONNECTED';
  }

  async logout(): Promise<void> {
    this.destroyed = true;
  }
}

/** One fake WhatsApp: the clients the channel built, in order, and every message they sent. */
export class FakeWhatsapp {
  readonly clients: FakeWwebClient[] = [];
  readonly sends: FakeSend[] = [];
  /** How the next clients open. */
  opening: Opening = 'ready';
  /** sendMessage to these chats throws this message. */
  readonly refuse = new Map<string, string>();
  /** QR codes the channel drew. */
  readonly qrs: string[] = [];
  /** Pictures people sent, by their message's serialized id. */
  readonly files = new Map<string, PhoneFile>();
  /** Serialized ids asked for with getMessageById, in order. */
  readonly lookups: string[] = [];
  /** downloadMedia calls, by serialized id, in order. */
  readonly downloads: string[] = [];

  readonly factory: WwebClientFactory = () => {
    const c = new FakeWwebClient(this, this.clients.length);
    this.clients.push(c);
    return c;
  };

  readonly showQr = (text: string): void => {
    this.qrs.push(text);
  };

  /** The client the channel uses now (the last one built). */
  get current(): FakeWwebClient {
    const c = this.clients.at(-1);
    if (!c) throw new Error('no client was built yet');
    return c;
  }

  /** A message from `from`, as the library's Message carries it; emitted on the current client. */
  message(from: string, text: string, extra: Partial<WwebMessage> = {}): WwebMessage {
    const msg: WwebMessage = {
      id: { id: randomBytes(10).toString('hex').toUpperCase(), fromMe: false, _serialized: '' },
      from,
      body: text,
      type: 'chat',
      fromMe: false,
      isStatus: false,
      broadcast: false,
      hasMedia: false,
      timestamp: Math.floor(Date.now() / 1000),
      ...extra,
    };
    msg.id!._serialized = `false_${from}_${msg.id!.id}`;
    this.emit(msg);
    return msg;
  }

  /**
   * A picture from `from` (a photo, or with `document` an image sent as a file), with its caption: the
   * message is emitted as the library's, hasMedia and the file's type and size in `_data`, and the file
   * stays for getMessageById and downloadMedia. `bytes` may be only a size (a big file).
   */
  picture(from: string, bytes: Buffer | number, opts: { mimetype?: string; caption?: string; document?: boolean; filename?: string; extra?: Partial<WwebMessage> } = {}): WwebMessage {
    const mimetype = opts.mimetype ?? 'image/jpeg';
    const size = typeof bytes === 'number' ? bytes : bytes.length;
    const msg: WwebMessage = {
      id: { id: randomBytes(10).toString('hex').toUpperCase(), fromMe: false, _serialized: '' },
      from,
      body: opts.caption ?? '',
      type: opts.document ? 'document' : 'image',
      fromMe: false,
      isStatus: false,
      broadcast: false,
      hasMedia: true,
      timestamp: Math.floor(Date.now() / 1000),
      _data: { mimetype, size },
      ...opts.extra,
    };
    msg.id!._serialized = `false_${from}_${msg.id!.id}`;
    this.files.set(msg.id!._serialized, { message: msg, mimetype, content: bytes, filename: opts.filename ?? null });
    // The emitted message can download too (the channel must not, at that point).
    msg.downloadMedia = () => this.downloadMedia(msg.id!._serialized!);
    this.emit(msg);
    return msg;
  }

  /** The picture's message is gone from the phone (deleted): getMessageById gives null. */
  forget(serialized: string): void {
    this.files.delete(serialized);
  }

  /** The picture's file is gone from WhatsApp's servers: downloadMedia gives undefined. */
  expire(serialized: string): void {
    this.files.get(serialized)!.expired = true;
  }

  /** downloadMedia of this picture throws `message`. */
  failDownload(serialized: string, message: string): void {
    this.files.get(serialized)!.fails = message;
  }

  /** What Message.downloadMedia gives for a picture: a MessageMedia, or undefined when the file is gone. */
  async downloadMedia(serialized: string): Promise<FakeMessageMedia | undefined> {
    this.downloads.push(serialized);
    const f = this.files.get(serialized);
    if (!f || f.expired) return undefined;
    if (f.fails) throw new Error(f.fails);
    const bytes = typeof f.content === 'number' ? Buffer.alloc(f.content, 0x20) : f.content;
    return new FakeMessageMedia(f.mimetype, bytes.toString('base64'), f.filename, bytes.length);
  }

  /** Emits a message object (a new one, or one emitted before: WhatsApp Web may show a message twice). */
  emit(msg: WwebMessage): void {
    this.current.emit('message', msg);
  }

  sent(chat: string): string[] {
    return this.sends.filter((s) => s.chat === chat).map((s) => s.text);
  }

  async until(chat: string, n: number, timeout = 10_000): Promise<string[]> {
    await expect.poll(() => this.sent(chat).length, { timeout, interval: 20 }).toBeGreaterThanOrEqual(n);
    return this.sent(chat);
  }
}

/** Waits until `pred` holds (usable outside a test, in hooks). */
export async function waitUntil(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`not true within ${timeoutMs} ms: ${pred.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
