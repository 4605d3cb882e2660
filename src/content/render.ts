// Turns the engine's keyed replies into text in the user's language.
import type { Lang, MediaRef, Reply, Say } from '../engine/types.js';
import type { Texts } from '../i18n/index.js';
import type { Contact, ReferenceData } from './data.js';

/** A message ready for a channel: plain text (the channel escapes it for its markup) and choices. */
export interface Outbound {
  text: string;
  choices?: { id: string; label: string }[];
  /** Session turn the choices belong to; channels put it into button data to recognise stale buttons. */
  turn?: number;
  /** With choices: the label of a control that opens them as a list (WhatsApp's list messages). */
  pick?: string;
  /** A picture or short video to send with `text` as its caption (campaigns). */
  media?: MediaRef;
  /**
   * A message the person did not ask for just now (a campaign): a platform that allows such messages
   * only in a form approved in advance (WhatsApp Cloud API templates) renders it in that form.
   */
  campaign?: boolean;
  /**
   * The message's own words without the framing `text` adds (a campaign's text without its closing
   * "reply STOP" line), for a platform whose approved form frames it itself (a template with its own
   * closing line).
   */
  plain?: string;
  /** Safety mode: no notification sound, not forwardable or savable where the platform allows; kept track of to be cleared. */
  quiet?: boolean;
  /** Kept track of (its id), to be cleared by the exit word if safety mode comes on (an urgent conversation). */
  track?: boolean;
  /**
   * The exit word: a platform that lets the bot delete the conversation's messages does so (and
   * sends nothing); elsewhere `text` (how to clear the chat) is sent.
   */
  clear?: boolean;
}

/** Where a text's safety-mode variant lives: the same key under this prefix. */
export const SAFE_PREFIX = 'safe.';

/** Indonesia: where the police line is for. */
const HOME = 'ID';

const CHANNEL_ICON = { phone: '📞', whatsapp: '💬', url: '🌐', email: '✉️', sms: '📩' } as const;

export class Renderer {
  /** Texts without variables and contact cards never change while running: rendered once. */
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly texts: Texts,
    private readonly data: ReferenceData,
  ) {}

  contact(lang: Lang, c: Contact): string {
    const lines = [c.name[lang]];
    for (const ch of c.channels) {
      const note = ch.note ? ` (${ch.note[lang]})` : '';
      lines.push(`${CHANNEL_ICON[ch.type]} ${this.texts.t(lang, `contacts.channel.${ch.type}`)}: ${ch.value}${note}`);
    }
    if (c.hours) lines.push(this.texts.t(lang, 'contacts.hours', { hours: c.hours[lang] }));
    return lines.join('\n');
  }

  say(lang: Lang, s: Say): string {
    if ('key' in s && s.vars) return this.texts.t(lang, s.key, s.vars);
    const id = `${lang}|${'key' in s ? s.key : 'contacts' in s ? `c:${s.near ?? ''}:${s.contacts.join(',')}` : `f:${s.facts.join(',')}`}`;
    let text = this.cache.get(id);
    if (text === undefined) {
      text = this.uncached(lang, s);
      this.cache.set(id, text);
    }
    return text;
  }

  private uncached(lang: Lang, s: Say): string {
    if ('key' in s) return this.texts.t(lang, s.key);
    if ('contacts' in s) {
      const listed = s.contacts.map((id) => this.data.contacts.get(id)).filter((c): c is Contact => !!c);
      return [...new Set([...this.nearby(s.near), ...listed])].map((c) => this.contact(lang, c)).join('\n\n');
    }
    return s.facts
      .map((id) => this.data.facts.get(id))
      .filter((f) => !!f)
      .map((f) => `${f.text[lang]}\n${this.texts.t(lang, 'contacts.source', { source: f.source_title })}`)
      .join('\n\n');
  }

  /**
   * The contacts for where the person is, shown before the others: in Indonesia, its police line
   * (shown only there); abroad, the Indonesian missions in that country (embassy first, then
   * consulates, as listed in data/contacts.yaml). Nothing when the place is unknown.
   */
  nearby(near: string | null | undefined): Contact[] {
    if (!near) return [];
    const all = [...this.data.contacts.values()];
    if (near === HOME) return all.filter((c) => c.topics.includes('police') && (!c.country || c.country === HOME));
    return all.filter((c) => c.country === near);
  }

  /** In safety mode a text with a short, neutral variant (locales/<lang>/safe.json, same key under "safe.") says that instead. */
  private neutral(lang: Lang, s: Say): Say {
    if (!('key' in s)) return s;
    const safe = `${SAFE_PREFIX}${s.key}`;
    return this.texts.has(lang, safe) ? { ...s, key: safe } : s;
  }

  reply(lang: Lang, r: Reply): Outbound {
    const says = r.quiet ? r.say.map((s) => this.neutral(lang, s)) : r.say;
    const out: Outbound = { text: says.map((s) => this.say(lang, s)).join('\n\n') };
    if (r.quiet) out.quiet = true;
    if (r.track) out.track = true;
    if (r.clear) out.clear = true;
    if (r.choices) {
      out.choices = r.choices.map((c) => ({ id: c.id, label: this.say(lang, { key: c.label }) }));
      out.turn = r.turn;
      out.pick = this.say(lang, { key: 'common.choose' });
    }
    if (r.media) out.media = r.media;
    if (r.campaign) out.campaign = true;
    if (r.plain !== undefined) out.plain = r.plain;
    return out;
  }
}
