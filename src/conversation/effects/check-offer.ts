import { z } from 'zod';
import { agencyMentions } from '../../checker/agency-mentions.js';
import { HEADING_ICON, headingText, jobInIndonesia, verdictContacts, verdictHeading } from '../../checker/heading.js';
import { AGENCY_CHECK_CONTACT, agencySay, type AgencySay } from '../../agencies/say.js';
import type * as checker from '../../checker/index.js';
import type { Say } from '../../engine/types.js';
import type { RecruiterCount } from '../../store/recruiters.js';
import { defineEffect, type EffectContext } from './effect.js';

/**
 * The checker, loaded once: by serve right after it listens (its rules and model are not needed to
 * start), or else by the first offer.
 */
let loaded: Promise<typeof checker> | undefined;
export const loadChecker = (): Promise<typeof checker> => (loaded ??= import('../../checker/index.js'));

/** How many flags and pieces of advice a verdict shows: enough to act on, short enough for a phone. */
const SHOW_FLAGS = 5;
const SHOW_ADVICE = 4;
export { VERDICT_CONTACTS, verdictContacts } from '../../checker/heading.js';

/** People (others than the user) who warned about or reported a contact before it counts against an offer. */
export const CROSS_CHECK_RAISES_AT = 2;

/** What the other people's warnings and reports say of an offer's contacts; a bank account is named as one (its digits could pass for a phone). */
function seenBefore(t: EffectContext['t'], contacts: { shown: string; account?: true }[], counts: RecruiterCount[]): Say[] {
  return contacts.flatMap((c, i) => {
    const { warned, reported } = counts[i]!;
    const contact = c.account ? t('checker.verdict.account', { number: c.shown }) : c.shown;
    if (warned && reported) return [{ key: 'checker.verdict.seen_both', vars: { contact, count: warned, reports: reported } }];
    if (warned) return [{ key: 'checker.verdict.seen_warned', vars: { contact, count: warned } }];
    if (reported) return [{ key: 'checker.verdict.seen_reported', vars: { contact, count: reported } }];
    return [];
  });
}

/**
 * What the imported list of licensed agencies says of the agencies the offer names (by name or
 * licence number); null when it names none, when no list is kept or was imported, or when the list
 * could not be read (the verdict goes out without it: logged once).
 */
async function agencyLines(ctx: EffectContext, named: ReturnType<typeof agencyMentions>): Promise<AgencySay | null> {
  if (!ctx.agencies) return null;
  if (!named.names.length && !named.licences.length) return null;
  try {
    const check = await ctx.agencies.check(named, ctx.at);
    if (!check) return null;
    const lines = agencySay(check, ctx.lang, ctx.t);
    return lines.say.length ? lines : null;
  } catch (e) {
    ctx.log.warn({ err: (e as Error).message, effect: 'checkOffer' }, 'could not look up the agencies an offer names');
    return null;
  }
}

/** The verdict as a few short messages: how risky, why (quoting the offer), what to do. */
export function verdictMessages(ctx: Pick<EffectContext, 't' | 'places'>, v: checker.Verdict, seen: Say[]): Say[][] {
  const heading = verdictHeading(v);
  const unclear = heading === 'unclear';
  const notes: Say[] = v.notes
    .filter((n) => n !== 'not_an_offer' || unclear)
    // How much of a long text was read, in characters: said as it is.
    .map((n) => (n === 'truncated' && v.read ? { key: 'checker.note.truncated', vars: { read: v.read.chars, of: v.read.of } } : { key: `checker.note.${n}` }));
  if (unclear) return [[...notes, ...seen]];
  // Plain words, no percentage: a score is not a probability, and "100 %" or "0 %" would be falsely exact.
  // Capped below, once signs sharing a quote are shown together.
  const red = v.flags.filter((f) => f.weight > 0);
  // Never green above a red flag it shows: "low, but check the sign below".
  const head: Say[] = [
    { key: `checker.verdict.${headingText(v, heading)}`, vars: { icon: HEADING_ICON[heading] } },
    ...seen,
    ...notes,
  ];
  const lawful = v.flags.filter((f) => f.weight < 0);
  const why: Say[] = [];
  if (red.length) {
    why.push({ key: 'checker.verdict.flags_title' });
    // Each sign with a quote of its own; a sign whose every quote is shown already joins the sign that
    // shows it ("Part-time task scam · Pay too high" above one sentence), not the same sentence again.
    const signs: { titles: string[]; quote?: string }[] = [];
    for (const f of red) {
      const title = ctx.t(`checker.flag.${f.id}.title`);
      const fresh = f.evidence.find((q) => !signs.some((s) => s.quote === q));
      const same = fresh === undefined ? signs.find((s) => s.quote !== undefined && s.quote === f.evidence[0]) : undefined;
      if (same) same.titles.push(title);
      else signs.push({ titles: [title], quote: fresh });
    }
    for (const { titles, quote } of signs.slice(0, SHOW_FLAGS)) {
      const title = titles.join(' · ');
      why.push(quote ? { key: 'checker.verdict.flag_quoted', vars: { title, quote } } : { key: 'checker.verdict.flag', vars: { title } });
    }
  }
  if (lawful.length) {
    why.push({ key: 'checker.verdict.lawful_title' });
    for (const f of lawful) why.push({ key: 'checker.verdict.lawful', vars: { title: ctx.t(`checker.flag.${f.id}.title`) } });
  }
  const contacts = verdictContacts(v, ctx.places);
  // Where to report (a high-risk verdict's last advice) stays among those shown.
  const advice = v.advice.slice(0, SHOW_ADVICE);
  const report = v.advice.find((a) => a === 'report_suspicious' || a === 'report_home');
  if (report && !advice.includes(report)) advice[advice.length - 1] = report;
  const todo: Say[] = [{ key: 'checker.verdict.advice_title' }, ...advice.map((a) => ({ key: `checker.advice.${a}` })), ...(contacts.length ? [{ contacts }] : [])];
  return [head, ...(why.length ? [why] : []), todo];
}

/**
 * Checks a job offer. The checker is pure; here its contacts are looked up among earlier warnings
 * and reports, and a high-risk offer's contacts are counted as warned about (once per message).
 */
export const checkOffer = defineEffect({
  name: 'checkOffer',
  outcomes: ['checked', 'unclear', 'error'],
  /**
   * `text`: the offer (null when the variable holding it is empty: judged as an empty text).
   * `count`: whether a high-risk offer's contacts are counted as warned about (default yes); false for
   * someone who has not agreed to the privacy notice yet, for whom nothing at all is recorded.
   */
  args: z.object({ text: z.string().nullable(), count: z.boolean().nullable().optional() }).strict(),
  async run(ctx, args) {
    let v = (await loadChecker()).checkOffer(args.text ?? '');
    const mentions = agencyMentions(args.text ?? '');
    const agencies = agencyLines(ctx, mentions);
    const contacts = ctx.hasher.contacts([...v.facts.phones, ...v.facts.links, ...(v.facts.handles ?? []), ...(v.facts.emails ?? [])], v.facts.accounts);
    const hashes = contacts.map((c) => c.hash);
    const source = ctx.hasher.source(ctx.user);
    const counts = await ctx.recruiters.counts(hashes, source);
    if (v.risk === 'high' && hashes.length && args.count !== false) await ctx.recruiters.record('warned', hashes, source, ctx.key);
    const seen = seenBefore(ctx.t, contacts, counts);
    // A number or link that several other people were warned about or reported is a warning sign in
    // itself: the offer is not "low" then. (One person alone cannot mark someone else's number.)
    if (v.risk === 'low' && counts.some((c) => c.people >= CROSS_CHECK_RAISES_AT)) v = { ...v, risk: 'medium' };
    // The agencies the offer names: before what to do (whose contacts include SISKOP2MI); with a note
    // asking for the offer's text ("is PT X licensed?"), in that one message, with SISKOP2MI if needed.
    const named = await agencies;
    // Work abroad through an agency the imported list of licensed agencies does not have (or with
    // someone else's licence number): not "low", whatever else the offer says.
    if (named?.unlisted && v.risk === 'low' && !jobInIndonesia(v.facts)) v = { ...v, risk: 'medium' };
    const say = verdictMessages(ctx, v, seen);
    const unclear = say.length === 1;
    if (named && unclear) say[0]!.push(...named.say, ...(named.unlisted ? [{ contacts: [AGENCY_CHECK_CONTACT] }] : []));
    else if (named) say.splice(say.length - 1, 0, named.say);
    // A question about an agency ("PT X resmi gak? mau berangkatkan ke Taiwan") with no list to look it
    // up in: where its licence is checked, with the request for the offer's text.
    else if (unclear && (mentions.names.length || mentions.licences.length) && !jobInIndonesia(v.facts)) {
      say[0]!.push({ key: 'checker.advice.check_agency_licence' }, { contacts: [AGENCY_CHECK_CONTACT] });
    }
    ctx.metrics?.offer(unclear ? 'unclear' : v.risk, v.flags.filter((f) => f.weight > 0).map((f) => f.id), ctx.at);
    return {
      outcome: unclear ? 'unclear' : 'checked',
      // Only what the next steps need: no offer text, no numbers (contacts as keyed hashes).
      // `home`: the job is in Indonesia (where to report it: police and Disnaker, not the migrant-worker ministry).
      data: { risk: v.risk, flags: v.flags.map((f) => f.id).join(' '), contacts: hashes.join(' '), home: jobInIndonesia(v.facts) },
      say,
    };
  },
});
