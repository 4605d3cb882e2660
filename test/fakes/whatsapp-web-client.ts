// A fake whatsapp-web.js: clients that emit the library's events (qr, authenticated, ready, message,
// disconnected, auth_failure, change_state, call) when a test says so, and record every sendMessage,
// text or a picture or video (a MessageMedia made by the client's media(), with its caption).
// Its factory stands in for the real one (the channel builds a new client on each reconnect).
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
