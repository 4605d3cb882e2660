// Effects the engine can ask for, performed here with the real stores. One entry per effect:
// the outcomes it can report (flows:check verifies flows against them) and what it does.
import { checkOffer, type Verdict } from '../checker/index.js';
import type { Lang, Say, Vars } from '../engine/types.js';
import type { UserKey } from '../store/keys.js';
import type { RecruiterCount, Store } from '../store/store.js';
import type { RecruiterHasher } from './recruiters.js';

export interface EffectContext {
  user: UserKey;
  messageId: string;
  lang: Lang;
  store: Store;
  hasher: RecruiterHasher;
  /** A text in the user's language (for texts placed inside other texts). */
  t(key: string, vars?: Record<string, unknown>): string;
  /** Set by an effect that deleted the user's data: the session is erased instead of saved. */
  erase: boolean;
}

export interface EffectResult {
  outcome: string;
  data?: Vars;
  /** Messages composed by the effect, one list of items per message. */
  say?: Say[][];
}

export interface EffectHandler {
  outcomes: readonly string[];
  run(ctx: EffectContext, args: Vars): Promise<EffectResult>;
}

/** Notes that mean "this is not (enough of) an offer to judge". */
const UNCLEAR = new Set(['empty', 'too_short', 'not_an_offer', 'only_link', 'only_phone', 'image_only']);
const RISK_ICON = { high: '🔴', medium: '🟠', low: '🟢' } as const;
/** How many flags and pieces of advice a verdict shows: enough to act on, short enough for a phone. */
const SHOW_FLAGS = 5;
const SHOW_ADVICE = 4;
/** Contacts shown with every verdict: where to check an agency and report. */
export const VERDICT_CONTACTS = ['kp2mi_siskop2mi', 'kp2mi_complaints'];

/** People (others than the user) who warned about or reported a contact before it counts against an offer. */
export const CROSS_CHECK_RAISES_AT = 2;

function seenBefore(contacts: { shown: string }[], counts: RecruiterCount[]): Say[] {
  return contacts.flatMap((c, i) => {
    const { warned, reported } = counts[i]!;
    if (warned && reported) return [{ key: 'checker.verdict.seen_both', vars: { contact: c.shown, count: warned, reports: reported } }];
    if (warned) return [{ key: 'checker.verdict.seen_warned', vars: { contact: c.shown, count: warned } }];
    if (reported) return [{ key: 'checker.verdict.seen_reported', vars: { contact: c.shown, count: reported } }];
    return [];
  });
}

/** The verdict as a few short messages: how risky, why (quoting the offer), what to do. */
export function verdictMessages(ctx: EffectContext, v: Verdict, seen: Say[]): Say[][] {
  const unclear = v.notes.some((n) => UNCLEAR.has(n)) && !v.flags.some((f) => f.weight > 0 && f.id !== 'similar_to_scams');
  const notes: Say[] = v.notes.filter((n) => n !== 'not_an_offer' || unclear).map((n) => ({ key: `checker.note.${n}` }));
  if (unclear) return [[...notes, ...seen]];
  const head: Say[] = [{ key: `checker.verdict.${v.risk}`, vars: { icon: RISK_ICON[v.risk], score: Math.round(v.score * 100) } }, ...seen, ...notes];
  const red = v.flags.filter((f) => f.weight > 0).slice(0, SHOW_FLAGS);
  const lawful = v.flags.filter((f) => f.weight < 0);
  const why: Say[] = [];
  if (red.length) {
    why.push({ key: 'checker.verdict.flags_title' });
    for (const f of red) {
      const quote = f.evidence[0];
      why.push(
        quote
          ? { key: 'checker.verdict.flag_quoted', vars: { title: ctx.t(`checker.flag.${f.id}.title`), quote } }
          : { key: 'checker.verdict.flag', vars: { title: ctx.t(`checker.flag.${f.id}.title`) } },
      );
    }
  }
  if (lawful.length) {
    why.push({ key: 'checker.verdict.lawful_title' });
    for (const f of lawful) why.push({ key: 'checker.verdict.lawful', vars: { title: ctx.t(`checker.flag.${f.id}.title`) } });
  }
  const todo: Say[] = [{ key: 'checker.verdict.advice_title' }, ...v.advice.slice(0, SHOW_ADVICE).map((a) => ({ key: `checker.advice.${a}` })), { contacts: VERDICT_CONTACTS }];
  return [head, ...(why.length ? [why] : []), todo];
}

export const EFFECTS: Record<string, EffectHandler> = {
  /** "Delete my data": removes every key holding the user's personal data. */
  forget: {
    outcomes: ['ok', 'error'],
    async run(ctx) {
      await ctx.store.forgetUser(ctx.user);
      ctx.erase = true;
      return { outcome: 'ok' };
    },
  },

  /**
   * Checks a job offer. The checker is pure; here its contacts are looked up among earlier warnings
   * and reports, and a high-risk offer's contacts are counted as warned about.
   */
  checkOffer: {
    outcomes: ['checked', 'unclear', 'error'],
    async run(ctx, args) {
      let v = checkOffer(String(args.text ?? ''));
      const contacts = ctx.hasher.contacts([...v.facts.phones, ...v.facts.links]);
      const hashes = contacts.map((c) => c.hash);
      const source = ctx.hasher.source(ctx.user);
      const counts = await ctx.store.recruiterCounts(hashes, source);
      if (v.risk === 'high' && hashes.length) await ctx.store.recordRecruiters('warned', hashes, source);
      const seen = seenBefore(contacts, counts);
      // A number or link that several other people were warned about or reported is a warning sign in
      // itself: the offer is not "low" then. (One person alone cannot mark someone else's number.)
      if (v.risk === 'low' && counts.some((c) => c.people >= CROSS_CHECK_RAISES_AT)) v = { ...v, risk: 'medium' };
      const say = verdictMessages(ctx, v, seen);
      const unclear = say.length === 1;
      return {
        outcome: unclear ? 'unclear' : 'checked',
        // Only what the next steps need: no offer text, no numbers (contacts as keyed hashes).
        data: { risk: v.risk, flags: v.flags.map((f) => f.id).join(' '), contacts: hashes.join(' ') },
        say,
      };
    },
  },

  /** "Learn more": the full explanation of each flag of the last verdict. */
  explainFlags: {
    outcomes: ['ok', 'none'],
    async run(ctx, args) {
      const ids = String(args.flags ?? '').split(' ').filter(Boolean);
      if (!ids.length) return { outcome: 'none' };
      const say: Say[] = ids.flatMap((id) => [{ key: 'checker.verdict.explain', vars: { title: ctx.t(`checker.flag.${id}.title`), text: ctx.t(`checker.flag.${id}.explain`) } }]);
      return { outcome: 'ok', say: [say] };
    },
  },

  /** "Report this recruiter": counts the user as reporting the last offer's contacts. */
  reportRecruiter: {
    outcomes: ['ok', 'none', 'error'],
    async run(ctx, args) {
      const hashes = String(args.contacts ?? '').split(' ').filter(Boolean);
      if (!hashes.length) return { outcome: 'none' };
      await ctx.store.recordRecruiters('reported', hashes, ctx.hasher.source(ctx.user));
      return { outcome: 'ok', data: { count: hashes.length } };
    },
  },
};

export function effectOutcomes(effects: Record<string, EffectHandler> = EFFECTS): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(effects).map(([k, v]) => [k, v.outcomes]));
}

/** Text keys the code shows by building their names (the effects above; checker.risk: the check-offer CLI). */
export const EFFECT_KEYS = ['checker.flag.*', 'checker.advice.*', 'checker.note.*', 'checker.verdict.*', 'checker.risk.*'] as const;
