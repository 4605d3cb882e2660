// The identification interview: staff answer the checklist of trafficking indicators
// (data/indicators.yaml) on a case, yes / no / unknown each; the file's rule turns the answers into
// "indicated victim" or not, naming the indicators. Stored on the case, sealed with its personal part
// (it describes a person); every fill and every read is audited, never with the answers.
import { Forbidden, Invalid, NotFound, type HotlineService, type Staff } from './service.js';
import { clauseHolds, type Indicator, type Indicators } from './indicators.js';
import type { Case } from './types.js';

export const ANSWERS = ['yes', 'no', 'unknown'] as const;
export type Answer = (typeof ANSWERS)[number];

/** Who holds the person's passport, as staff learnt it. */
export const PASSPORT_HOLDERS = ['self', 'employer', 'recruiter', 'agency', 'other', 'unknown'] as const;
export type PassportHolder = (typeof PASSPORT_HOLDERS)[number];

/** What the person needs first: it chooses the suggested referral (src/hotline/referral.ts). */
export const NEEDS = ['consular', 'return', 'assistance', 'prosecution'] as const;
export type Need = (typeof NEEDS)[number];

/** An interview's result as stored on the case (sealed). */
export interface Identification {
  /** Every indicator of the checklist the interview was filled with, by id. */
  answers: Record<string, Answer>;
  /** The rule held: an indicated victim of trafficking. */
  indicated: boolean;
  /** The indicators answered yes, in the checklist's order. */
  indicators: string[];
  passportHeldBy: PassportHolder | null;
  /** The passport's number, when staff have it (normalised: capitals and digits); it finds duplicate reports. */
  passport: string | null;
  /** The person's home province (ISO 3166-2:ID without "ID-"), when known: KP2MI's office there is suggested. */
  homeRegion: string | null;
  need: Need | null;
  by: string;
  at: number;
}

/** What staff send (PUT /staff/api/cases/:id/identification). */
export interface IdentificationInput {
  answers: Record<string, Answer>;
  passportHeldBy?: PassportHolder | null;
  passport?: string | null;
  homeRegion?: string | null;
  need?: Need | null;
}

/** A passport number as people write it: capitals and digits only ("c 123-4567" → "C1234567"). */
export function normalisePassport(typed: string): string | null {
  const n = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return /^[A-Z0-9]{6,12}$/.test(n) && /\d/.test(n) ? n : null;
}

/**
 * The result of a checklist: every indicator answered (those not given are "unknown"), an answer
 * to an indicator the checklist does not have is refused (Invalid, naming it).
 */
export function assess(answers: Readonly<Record<string, string>>, indicators: Indicators): { answers: Record<string, Answer>; indicated: boolean; indicators: string[] } {
  for (const [id, a] of Object.entries(answers)) {
    if (!indicators.byId.has(id)) throw new Invalid(`answers.${id}`, `"${id}" is not an indicator of data/indicators.yaml`);
    if (!(ANSWERS as readonly string[]).includes(a)) throw new Invalid(`answers.${id}`, `an answer is one of ${ANSWERS.join(', ')}`);
  }
  const all: Record<string, Answer> = {};
  for (const i of indicators.list) all[i.id] = (answers[i.id] as Answer | undefined) ?? 'unknown';
  const yes: Indicator[] = indicators.list.filter((i) => all[i.id] === 'yes');
  return { answers: all, indicated: indicators.rule.any_of.some((c) => clauseHolds(c, yes)), indicators: yes.map((i) => i.id) };
}

/** One line of the interview as the console shows it. */
export interface InterviewItem {
  id: string;
  question: string;
  strength: Indicator['strength'];
  answer: Answer;
}

/** The interview as the console renders it: pure, in the staff member's language. */
export interface InterviewView {
  filled: boolean;
  indicated: boolean;
  /** What a positive result means, from the file's rule (only the authorities identify a victim). */
  meaning: string | null;
  /** The indicators answered yes, as their questions. */
  named: { id: string; question: string }[];
  groups: { group: string; items: InterviewItem[] }[];
  passportHeldBy: PassportHolder | null;
  homeRegion: string | null;
  need: Need | null;
  by: string | null;
  at: number | null;
}

/** The checklist with a case's answers (or every one unknown, before the first fill), grouped. */
export function interviewView(ident: Identification | null | undefined, indicators: Indicators, lang: 'id' | 'en'): InterviewView {
  const answer = (id: string): Answer => ident?.answers[id] ?? 'unknown';
  return {
    filled: Boolean(ident),
    indicated: ident?.indicated ?? false,
    meaning: indicators.rule.description?.[lang] ?? null,
    named: (ident?.indicators ?? []).flatMap((id) => {
      const i = indicators.byId.get(id);
      return i ? [{ id, question: i.question[lang] }] : [];
    }),
    groups: indicators.groups.map((group) => ({
      group,
      items: indicators.list.filter((i) => i.group === group).map((i) => ({ id: i.id, question: i.question[lang], strength: i.strength, answer: answer(i.id) })),
    })),
    passportHeldBy: ident?.passportHeldBy ?? null,
    homeRegion: ident?.homeRegion ?? null,
    need: ident?.need ?? null,
    by: ident?.by ?? null,
    at: ident?.at ?? null,
  };
}

/** Who may interview and export: hotline agents and admins. */
export function mayWorkCases(staff: Staff): void {
  if (staff.role !== 'agent' && staff.role !== 'admin') throw new Forbidden(`role ${staff.role} may not do this`);
}

/** Reads a case for staff, audited first (the action names what was read); NotFound when there is none. */
export async function readCase(hotline: HotlineService, staff: Staff, id: string, action: string, detail?: string): Promise<Case> {
  mayWorkCases(staff);
  await hotline.store.audit({ at: Date.now(), by: staff.name, role: staff.role, action, case: id, ...(detail ? { detail } : {}) });
  const c = await hotline.store.get(id);
  if (!c) throw new NotFound(`no case ${id}`);
  return c;
}

/**
 * Fills (or fills again) the interview on a case: audited in the same write as the change, with
 * whether the rule held, never the answers. Filling acts on the case (it becomes the staff member's).
 */
export async function fillIdentification(hotline: HotlineService, staff: Staff, id: string, input: IdentificationInput, indicators: Indicators, now = Date.now()): Promise<Identification> {
  mayWorkCases(staff);
  const result = assess(input.answers, indicators);
  let passport: string | null = null;
  if (input.passport) {
    passport = normalisePassport(input.passport);
    if (!passport) throw new Invalid('passport', 'a passport number is 6 to 12 letters and digits, at least one a digit');
  }
  const ident: Identification = {
    ...result,
    passportHeldBy: input.passportHeldBy ?? null,
    passport,
    homeRegion: input.homeRegion ?? null,
    need: input.need ?? null,
    by: staff.name,
    at: now,
  };
  await hotline.change(staff, id, 'identify', ident.indicated ? 'indicated' : 'not_indicated', (c) => {
    if (!c.details) return { refused: 'the personal fields of this case were removed' };
    c.identification = ident;
    return { case: c, event: { type: 'identified', at: now, by: staff.name, detail: { indicated: ident.indicated, yes: ident.indicators.length } } };
  });
  return ident;
}
