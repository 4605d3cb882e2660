// Referral: which partner office a case should go to (suggested by the case's country and need, from
// data/partners.yaml), and the packet that goes with it: only the fields the reporter agreed to share
// with partners, in a documented, versioned JSON shape (docs/referral-packet.schema.json) a partner's
// system can read, or as a PDF. Pure functions: the API audits each export (src/staff/casework-api.ts).
import type { ZonedPlace } from '../content/data.js';
import { fold } from '../engine/text.js';
import type { Identification, Need } from './identification.js';
import type { Indicators } from './indicators.js';
import type { Partner, PartnerKind } from './partners.js';
import type { Case } from './types.js';

/** Why a partner is suggested. */
export type ReferralReason =
  | 'embassy_in_country'
  | 'citizen_protection'
  | 'home_region_office'
  | 'migrant_ministry'
  | 'victim_assistance'
  | 'prosecution'
  | 'return_and_reintegration';

export interface SuggestedPartner {
  partner: string;
  kind: PartnerKind;
  reason: ReferralReason;
}

export interface ReferralSituation {
  /** ISO-2 code of the country the person went to (null: not known). */
  country: string | null;
  /** Their home province (ISO 3166-2:ID without "ID-"), when known. */
  homeRegion: string | null;
  /** The identification interview found an indicated victim. */
  indicated: boolean;
  need: Need | null;
}

/** The province a regional office serves, read from its name ("BP3MI Nusa Tenggara Timur (Kupang)" → NT). */
export function partnerRegion(p: Partner, regions: readonly ZonedPlace[]): string | null {
  const names = ` ${fold(p.name.id)} ${fold(p.name.en)} `;
  const hit = regions.find((r) => r.names.some((n) => n.length >= 4 && names.includes(` ${fold(n)} `)));
  return hit?.code ?? null;
}

/**
 * The partners a case could go to, the best first: the Indonesian embassy or consulate in the country
 * (else the foreign ministry's citizen protection), KP2MI's office for the home province (else KP2MI),
 * social affairs for a victim's assistance, the police for prosecution, IOM for return and
 * reintegration. The need, when staff gave one, puts its partner first; without one, a case abroad
 * goes to the mission, an indicated victim at home to social affairs, any other case to KP2MI.
 */
export function suggestReferral(s: ReferralSituation, partners: ReadonlyMap<string, Partner>, regions: readonly ZonedPlace[] = []): { suggested: SuggestedPartner | null; options: SuggestedPartner[] } {
  const all = [...partners.values()];
  const of = (kind: PartnerKind, reason: ReferralReason, where: (p: Partner) => boolean = () => true): SuggestedPartner[] =>
    all.filter((p) => p.kind === kind && where(p)).map((p) => ({ partner: p.id, kind: p.kind, reason }));
  const abroad = s.country !== null && s.country !== 'ID';
  const mission = abroad ? of('embassy', 'embassy_in_country', (p) => p.country === s.country) : [];
  const consular = mission.length ? mission : abroad ? of('ministry_protection', 'citizen_protection') : [];
  const regional = s.homeRegion ? of('migrant_ministry_regional', 'home_region_office', (p) => partnerRegion(p, regions) === s.homeRegion) : [];
  const ministry = regional.length ? regional : of('migrant_ministry', 'migrant_ministry');
  const assistance = s.indicated || s.need === 'assistance' ? of('social_affairs', 'victim_assistance') : [];
  const police = s.indicated || s.need === 'prosecution' ? of('police', 'prosecution') : [];
  const iom = s.indicated || s.need === 'return' ? of('international', 'return_and_reintegration') : [];
  let first: SuggestedPartner[];
  if (s.need === 'consular') first = consular;
  else if (s.need === 'return') first = abroad ? [...consular, ...iom] : iom;
  else if (s.need === 'assistance') first = assistance;
  else if (s.need === 'prosecution') first = police;
  else first = abroad ? consular : s.indicated ? assistance : ministry;
  const seen = new Set<string>();
  const options = [...first, ...consular, ...ministry, ...assistance, ...police, ...iom].filter((o) => !seen.has(o.partner) && seen.add(o.partner));
  return { suggested: options[0] ?? null, options };
}

/** The situation of a case as its fields and interview tell it. */
export function situationOf(c: Pick<Case, 'details' | 'identification'>): ReferralSituation {
  const i = c.identification ?? null;
  return { country: c.details?.country?.toUpperCase() ?? null, homeRegion: i?.homeRegion ?? null, indicated: i?.indicated ?? false, need: i?.need ?? null };
}

// --- the packet -----------------------------------------------------------------------------------

/** The packet's JSON Schema (docs/referral-packet.schema.json): its `$id` and version. */
export const PACKET_SCHEMA_ID = 'urn:waspada:schema:referral-packet:1';
export const PACKET_VERSION = '1.0.0';

export interface PacketIndicator {
  id: string;
  group: string;
  /** strong, medium, weak; null when the checklist does not grade it. */
  strength: string | null;
  question: { id: string; en: string };
}

export interface PacketDestination {
  partner: string;
  kind: PartnerKind;
  name: { id: string; en: string };
  country: string;
  /** Staff referred the case there (true), or it is Waspada's suggestion (false). */
  confirmed: boolean;
  reason: ReferralReason | null;
}

/** What a partner office receives: the reporter agreed to share each field. */
export interface ReferralPacket {
  schema: typeof PACKET_SCHEMA_ID;
  version: typeof PACKET_VERSION;
  case: string;
  kind: Case['kind'];
  openedAt: string;
  exportedAt: string;
  /** The reporter agreed that the case is shared with referral partners (a packet exists only then). */
  consent: { share: true };
  person: { name: string | null; age: number | null };
  lastKnown: { country: string | null; city: string | null; lastContact: string | null };
  employer: string | null;
  recruiter: { contact: string | null };
  passport: { heldBy: Identification['passportHeldBy'] };
  urgency: { urgent: boolean; danger: boolean | null };
  identification: { indicated: boolean; indicators: PacketIndicator[]; assessedAt: string } | null;
  destination: PacketDestination | null;
}

export class NoConsent extends Error {
  constructor() {
    super('the reporter did not agree to share the case with partners: no referral packet');
  }
}

export class NoDetails extends Error {
  constructor() {
    super('the personal fields of this case were removed: no referral packet');
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The referral packet of a case: only with the reporter's consent (NoConsent otherwise), only the
 * fields a partner needs (never the reporter, their chat or safe number, the story in their words,
 * staff notes, what the family added, the offer, the passport's number). Its destination: the partner
 * staff referred the case to, else the suggestion.
 */
export function referralPacket(c: Case, opts: { partners: ReadonlyMap<string, Partner>; indicators?: Indicators | null; regions?: readonly ZonedPlace[]; now: number }): ReferralPacket {
  if (!c.consentShare) throw new NoConsent();
  const d = c.details;
  if (!d) throw new NoDetails();
  const ident = c.identification ?? null;
  const referred = c.partner ? opts.partners.get(c.partner) : undefined;
  const suggestion = referred ? null : suggestReferral(situationOf(c), opts.partners, opts.regions).suggested;
  const dest = referred ?? (suggestion ? opts.partners.get(suggestion.partner) : undefined);
  return {
    schema: PACKET_SCHEMA_ID,
    version: PACKET_VERSION,
    case: c.id,
    kind: c.kind,
    openedAt: iso(c.openedAt),
    exportedAt: iso(opts.now),
    consent: { share: true },
    person: { name: d.name ?? null, age: d.age ?? null },
    lastKnown: { country: d.country ?? null, city: d.city ?? null, lastContact: d.lastContact ?? null },
    employer: d.employer ?? null,
    recruiter: { contact: d.recruiterContact ?? null },
    passport: { heldBy: ident?.passportHeldBy ?? null },
    urgency: { urgent: c.urgent, danger: d.danger ?? null },
    identification: ident && {
      indicated: ident.indicated,
      indicators: ident.indicators.flatMap((id) => {
        const i = opts.indicators?.byId.get(id);
        return i ? [{ id, group: i.group, strength: i.strength ?? null, question: { ...i.question } }] : [];
      }),
      assessedAt: iso(ident.at),
    },
    destination: dest
      ? { partner: dest.id, kind: dest.kind, name: { ...dest.name }, country: dest.country, confirmed: Boolean(referred), reason: suggestion?.reason ?? null }
      : null,
  };
}
