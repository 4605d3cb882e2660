// The channel port: what every platform module provides. A channel is its own files behind this
// interface plus one line in ./registry.ts; nothing outside src/channels/ names a platform.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Outbound } from '../content/render.js';
import type { MediaRef } from '../engine/types.js';
import type { Delivery, Inbox } from '../conversation/inbox.js';
import type { Inbound } from '../conversation/service.js';
import type { Logger } from '../log.js';
import type { Recipients } from '../outbox/recipients.js';
import type { Keyspace } from '../store/keys.js';
import type { RedisClient } from '../store/connection.js';

/** Where a message goes: a channel and the platform's address of the person there (a private chat). */
export interface Recipient {
  channel: string;
  user: string;
}

/**
 * What became of one platform message. `retry`: the platform asked to wait (HTTP 429 and the like);
 * `transient`: it or the network failed and trying again later may work; `gone`: the recipient can no
 * longer be reached (blocked the bot, deleted the account); `permanent`: this message will never be
 * accepted (bad request), the next one may be.
 */
export type SendResult =
  | { ok: true; /** The platform's id of the message, where it gives one. */ ref?: string }
  | { ok: false; kind: 'retry'; afterMs: number; reason: string }
  | { ok: false; kind: 'transient'; reason: string }
  | { ok: false; kind: 'gone'; reason: string }
  | { ok: false; kind: 'permanent'; reason: string };

/** The platform's sending limits, enforced by the outbox across every process through Redis. */
export interface ChannelLimits {
  /** Messages per second over all chats. */
  perSecond: number;
  /** Messages per second to one chat, after a burst of `perChatBurst`. */
  perChatPerSecond: number;
  perChatBurst: number;
}

/** A platform message about to be written: the hook fires just before its bytes are handed to the network. */
export interface SendHooks {
  /**
   * Called synchronously right before the request's bytes are written to a connected socket (from then
   * on it may reach the platform). Whatever the hook writes synchronously leaves the process first.
   */
  written(): void;
}

/** The sending half of a channel: all the outbox needs. */
export interface ChannelSender {
  readonly name: string;
  readonly limits: ChannelLimits;
  /** One rendered message (text plus choices) as the platform's messages, in order; JSON-safe. */
  render(message: Outbound): unknown[];
  /**
   * Sends one platform message (one of `render`'s, as JSON text: the outbox keeps it so) and
   * classifies what happened. Never throws.
   */
  send(to: string, message: string, hooks?: SendHooks): Promise<SendResult>;
  /**
   * Why this platform cannot take a picture or video (its type, size or dimensions over the platform's
   * limits), or null when it can. Checked before a campaign starts. Without it: the channel sends no media.
   */
  mediaProblem?(media: MediaRef): string | null;
  /**
   * Why this platform cannot send a campaign message in the form it sends campaigns (e.g. a text too
   * long for an approved template), or null when it can. Checked before a campaign is accepted.
   */
  campaignProblem?(message: Outbound): string | null;
}

/** A webhook handler run before Express: the per-message hot path. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
/** Routes by "METHOD /path", e.g. "POST /webhooks/example". */
export type Routes = Record<string, RouteHandler>;

/** What a running channel can use from the rest of the process. */
export interface ChannelDeps<C> {
  settings: C;
  inbox: Inbox;
  recipients: Recipients;
  log: Logger;
  /** The shared Redis connection, for a channel's own records (under `keys.channel(name)`). */
  redis: RedisClient;
  keys: Keyspace;
}

export interface Channel extends ChannelSender {
  /** HTTP routes this channel answers (its webhooks). */
  routes(): Routes;
  /**
   * One inbox delivery of this channel as a message for the conversation, or null when the channel
   * dealt with it itself (a block or unblock, an update kind it does not act on).
   */
  inbound(d: Delivery): Promise<Inbound | null>;
  /**
   * A message of this channel's was taken for the first time (not a repeat of one already handled):
   * what the platform is told of that (WhatsApp's read receipt, the answer to a pressed button).
   * Never throws; not waited for.
   */
  taken?(d: Delivery): void;
  /** Order of deliveries taken from the inbox together (the platform's update sequence), if it has one. */
  order?(d: Delivery): number;
  /**
   * A best-effort notice sent directly, not through the outbox: only for when the outbox itself (Redis)
   * is unavailable. Returns false if it could not be sent.
   */
  notify(to: string, text: string): Promise<boolean>;
  /** Starts taking updates by itself (long polling), if it does that. */
  start?(): Promise<void> | void;
  /** Stops taking updates. */
  stop?(): Promise<void> | void;
  health(): Record<string, unknown>;
  /**
   * The channel sends only from the process that started it (a linked phone's client): a process
   * that does not start it (`npm run worker`) queues its messages but leaves the sending to that one.
   */
  readonly sendsOnlyWhenStarted?: boolean;
  /**
   * A channel that runs through a linked phone: its link's state, and while one is needed the text of
   * the QR code to scan (the staff console shows the state to staff, the code to admins only).
   */
  phoneLink?(): PhoneLink;
}

export interface PhoneLink {
  state: string;
  /** The QR code's text while one is to be scanned, else null. */
  qr: string | null;
}

/** A command a channel adds to the CLI (e.g. registering its webhook). */
export interface ChannelCommand<C> {
  usage: string;
  run(args: string[], settings: C): Promise<string>;
}

/**
 * A platform module: its settings (environment variables, validated by src/config.ts with the rest),
 * how to tell whether a deployment asked for it, what it needs to run, and how to build it.
 */
export interface ChannelModule<C = Record<string, unknown>> {
  name: string;
  /** zod shape of its environment variables (each optional or defaulted). */
  settings: z.ZodRawShape;
  /** The variables that, when any is set, mean the deployment wants this channel. */
  signals: readonly string[];
  /** One line per missing or inconsistent setting for serving this channel; empty when it can serve. */
  missing(settings: C): string[];
  create(deps: ChannelDeps<C>): Channel;
  commands?: Record<string, ChannelCommand<C>>;
  /** What a person's address looks like on this platform (checks imported subscriber lists). */
  userId: RegExp;
  /**
   * Records that a person opted in elsewhere (an imported subscriber with a consent date), for a
   * channel that otherwise writes only to people who wrote first. Runs in any process (the CLI), not
   * only the one holding the channel.
   */
  optIn?(ctx: { settings: C; redis: RedisClient; keys: Keyspace }, user: string): Promise<void>;
}
