// The engine's vocabulary. Pure data: no I/O, no clock, no randomness.

export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];

export type Value = string | number | boolean | null;
export type Vars = Record<string, Value>;

/** Where the user is in a flow. The stack holds the places to return to after a called flow ends. */
export interface Position {
  flow: string;
  step: string;
}

/** One user's conversation state, saved between messages. */
export interface Session {
  v: 1;
  lang: Lang | null;
  consent: boolean;
  /** Current position; null when the user is not inside a flow (new, stopped, or restarted). */
  at: Position | null;
  stack: Position[];
  vars: Vars;
  /** Failed attempts at the current step. */
  failures: number;
  /** Increases every time a new prompt is shown; buttons carry it so stale presses can be told apart. */
  turn: number;
  /** Time of the last message handled, ms since epoch (given to the engine by the caller). */
  lastAt: number;
  /** The current step is waiting for the result of this effect. */
  pending: string | null;
  /**
   * A job offer pasted while a question waited for something else (a country, say): Waspada asked
   * whether to check it, and needs the text if the answer is yes. It is kept only until that answer:
   * the next message, whatever it is, takes it out (step() removes it before anything else), and an
   * offer is never kept anywhere else. The only way to keep it shorter would be not to ask.
   */
  heldOffer?: string;
  /**
   * Safety mode (someone else may read this phone): Waspada never writes first (no alerts, no status
   * pushes), keeps its messages short and neutral, and the exit word ends the conversation and clears
   * what can be cleared. Set by the person (or by an urgent report that found it unsafe to write).
   */
  safety?: boolean;
  /** When the exit word last closed the conversation (ms): what came before it is not answered after it (a picture still being read). */
  exitAt?: number;
}

/** What a message carried instead of text (its caption, if any, is the text). */
export const MEDIA_KINDS = ['photo', 'image', 'document', 'voice', 'audio', 'video', 'sticker', 'location', 'contact', 'other'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/**
 * Why the text of a picture was not read: not a PNG, JPEG or WebP; over 5 MB; over 25 megapixels;
 * undecodable; too slow; every reader busy; no writing found; or the platform would not give it.
 */
export const PICTURE_FAILURES = ['not_picture', 'too_large', 'too_many_pixels', 'broken', 'timeout', 'busy', 'no_text', 'unavailable'] as const;
export type PictureFailure = (typeof PICTURE_FAILURES)[number];

/** What became of a picture's text: all of it and its first lines (shown), or why it was not read. */
export type PictureOutcome = { text: string; excerpt: string } | { failure: PictureFailure };

/** What the user did, as the engine sees it. */
export type Input =
  /**
   * `offer`: the caller's cheap first look says the text may be a job offer (long enough, job words):
   * wherever the person is, it is checked, or (at a question waiting for something else) they are
   * asked whether to check it.
   */
  | {
      kind: 'text';
      text: string;
      at: number;
      langHint?: string | null;
      offer?: boolean;
      /** Read from a picture: never a command or a plea, and always an offer to check (never a report's story). */
      picture?: boolean;
    }
  /**
   * A picture, file, voice note, sticker, location, contact card or video; `text` is its caption
   * (possibly empty), handled as a text would be, with `offer` as for a text. For a picture, `picture`
   * holds the text read from it (checked after the caption) or why it was not read.
   */
  | { kind: 'media'; media: MediaKind; text?: string; offer?: boolean; at: number; langHint?: string | null; picture?: PictureOutcome }
  | { kind: 'choice'; id: string; turn?: number; at: number; langHint?: string | null }
  /** An effect's result; `say` holds messages the effect composed, one list of items per message. */
  | { kind: 'effect'; effect: string; outcome: string; data?: Vars; say?: Say[][]; at: number };

/** One piece of content to show. Keys are i18n keys; contacts and facts come from reviewed data files. */
export type Say =
  | { key: string; vars?: Vars }
  /**
   * Contacts from data/contacts.yaml. `near`: where the person is (ISO-2 code, resolved from a session
   * variable; null when unknown): that country's Indonesian missions are shown first, and for Indonesia
   * its police line (which is shown nowhere else).
   */
  | { contacts: string[]; near?: string | null }
  | { facts: string[] };

/** One message to send; choices (if any) are attached to it. */
/**
 * A picture or short video attached to a message (campaigns), kept once in Redis by the SHA-256 of its
 * bytes (src/store/media.ts); each channel uploads it to its platform once and reuses the platform's id.
 */
export interface MediaRef {
  /** Hex SHA-256 of the bytes. */
  id: string;
  kind: 'image' | 'video';
  /** image/jpeg, image/png, video/mp4 (read from the bytes, not from a file name). */
  mime: string;
  bytes: number;
  /** Pixel size of a picture, when known (platforms limit it). */
  width?: number;
  height?: number;
}

export interface Reply {
  say: Say[];
  choices?: { id: string; label: string }[];
  /** The session turn this prompt belongs to (for buttons). */
  turn?: number;
  /** A picture or video sent with the text as its caption (campaigns only: flows send none). */
  media?: MediaRef;
  /** A campaign message (see Outbound.campaign). */
  campaign?: boolean;
  /** The message's own words without the standard framing (see Outbound.plain). */
  plain?: string;
  /** Safety mode: sent silently, protected from forwarding, short neutral wording (see Session.safety). */
  quiet?: boolean;
  /**
   * Part of an urgent conversation (the emergency screen, urgent help): its platform id is kept for 48
   * hours, so the exit word can delete it too if safety mode comes on (quiet messages are kept anyway).
   */
  track?: boolean;
  /**
   * The exit word: a platform that lets a bot delete a chat's messages deletes those of this
   * conversation that were kept track of; elsewhere the text says how to clear the chat.
   */
  clear?: boolean;
}

/** Work the engine asks the caller to do; the result comes back as an `effect` input. */
export interface Effect {
  type: string;
  args: Vars;
}

export interface StepResult {
  session: Session;
  replies: Reply[];
  effects: Effect[];
  /** Someone may be in danger (an emergency alert, or a flow marked urgent): these replies go first. */
  urgent: boolean;
}

export function newSession(at: number): Session {
  return { v: 1, lang: null, consent: false, at: null, stack: [], vars: {}, failures: 0, turn: 0, lastAt: at, pending: null };
}
