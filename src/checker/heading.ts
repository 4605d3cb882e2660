/**
 * What a verdict is called where people read it: the chat (src/conversation/effects/check-offer.ts)
 * and the check-offer command (cli.ts) both head a verdict by this, so they say the same. Pure.
 * Texts: locales/<lang>/checker.json, `verdict.<heading>` (with {{icon}}; see headingText); 'unclear'
 * has none: only the notes and what to send are shown.
 */
import type { ReferenceData } from '../content/data.js';
import type { Verdict } from './index.js';

/** Notes that mean "this is not (enough of) an offer to judge". */
export const UNCLEAR_NOTES: ReadonlySet<string> = new Set(['empty', 'too_short', 'not_an_offer', 'only_link', 'only_phone', 'image_only']);

export type Heading = 'unclear' | 'high' | 'medium' | 'low' | 'low_flagged';

export const HEADING_ICON: Readonly<Record<Exclude<Heading, 'unclear'>, string>> = {
  high: '🔴',
  medium: '🟠',
  low: '🟢',
  // A low verdict above a warning sign of its own (a weak one: the checker makes a strong one "medium"): never green.
  low_flagged: '🟡',
};

/**
 * 'unclear' when the text is too little (or not) an offer and no red flag of the rules was found:
 * no level at all, never a green one; 'low_flagged' when a low verdict shows a warning sign.
 */
export function verdictHeading(v: Pick<Verdict, 'risk' | 'flags' | 'notes'>): Heading {
  const redFlag = v.flags.some((f) => f.weight > 0 && f.id !== 'similar_to_scams');
  if (v.notes.some((n) => UNCLEAR_NOTES.has(n)) && !redFlag) return 'unclear';
  if (v.risk === 'low' && v.flags.some((f) => f.weight > 0)) return 'low_flagged';
  return v.risk;
}

/**
 * The text a heading is said in (`verdict.<key>`): a high verdict on aid money promised by chat
 * (aid_by_chat) is a fraud in the government's name, not a job offer, and is headed as one.
 */
export function headingText(v: Pick<Verdict, 'flags'>, heading: Exclude<Heading, 'unclear'>): string {
  return heading === 'high' && v.flags.some((f) => f.id === 'aid_by_chat') ? 'high_aid' : heading;
}

/**
 * Whether the job is in Indonesia: a place there is named, or the recruitment is in an Indonesian
 * institution's name with nothing abroad (Facts.home). Then the advice and contacts are those at home.
 */
export const jobInIndonesia = (f: Pick<Verdict['facts'], 'country' | 'home'>): boolean => f.country === 'Indonesia' || f.home === true;

/** Contacts shown with a verdict on work abroad (or where it is not said): where to check an agency and report. */
export const VERDICT_CONTACTS = ['kp2mi_siskop2mi', 'kp2mi_complaints'];

/**
 * Whom a verdict points to (ids in data/contacts.yaml): first, where an official scheme the offer names
 * announces its openings (contacts listing it under `schemes`), and where an institution the recruitment
 * is announced in the name of announces its own (contacts listing it under `institutions`); for work abroad, the migrant-worker ministry's
 * agency check and complaints, and the Indonesian mission in the destination country when the reviewed
 * contacts have one; for a job in Indonesia, nobody of theirs (the advice says to ask the local manpower
 * office, Disnaker, and to report to the police).
 */
export function verdictContacts(v: Pick<Verdict, 'facts'>, places: Pick<ReferenceData, 'countries' | 'contacts'>): string[] {
  // Where a named official scheme announces its real openings comes first (its advice points below).
  const schemes = v.facts.schemes ?? [];
  const all = [...places.contacts.values()];
  const official = [
    ...schemes.flatMap((s) => all.filter((c) => c.schemes?.includes(s)).map((c) => c.id)),
    // Where an institution recruitment is announced in the name of announces its own.
    ...(v.facts.institutions ?? []).flatMap((i) => all.filter((c) => c.institutions?.includes(i)).map((c) => c.id)),
  ];
  if (jobInIndonesia(v.facts)) return [...new Set(official)];
  const code = v.facts.country ? places.countries.find((c) => c.names[1] === v.facts.country || c.names.includes(v.facts.country!))?.code : undefined;
  const missions = code ? [...places.contacts.values()].filter((c) => c.country === code).map((c) => c.id) : [];
  return [...new Set([...official, ...VERDICT_CONTACTS, ...missions])];
}
