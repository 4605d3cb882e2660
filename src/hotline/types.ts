// The hotline's vocabulary: a case a family (or a migrant) opened from the chat, worked by staff.
// What names or describes a person (the `details`, the `reporter`, the staff notes) is sealed at rest;
// the rest (stage, kind, times, who on the staff holds it) is plain, so queues and counts need no key.
import type { Lang } from '../engine/types.js';
import type { Identification } from './identification.js';

/**
 * Plain-word stages a family sees, those of the national referral mechanism: received, verified,
 * referred (to which kind of office, in general words), in assistance, returned home, reunited or
 * reintegrated, closed.
 */
export const STAGES = ['received', 'verified', 'referred', 'assistance', 'returned', 'reintegrated', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages stored under an earlier name: 'checking' (before the referral mechanism's stages) is 'verified'. */
const RENAMED_STAGES: Readonly<Record<string, Stage>> = { checking: 'verified' };

/** A stored stage as it is read: an earlier name becomes its new one (no stored case needs rewriting). */
export function storedStage(stored: string): Stage {
  return RENAMED_STAGES[stored] ?? (stored as Stage);
}

/** A missing relative, a recruiter reported from a checked offer, someone in danger now. */
export const CASE_KINDS = ['missing', 'recruiter', 'urgent'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** What a report says: each field may be skipped (null) except what its kind needs. Personal: sealed. */
export interface CaseDetails {
  /** The missing (or endangered) person. */
  name?: string | null;
  age?: number | null;
  /** Their relation to the reporter ("kakak", "my husband"). */
  relation?: string | null;
  /** ISO-2 code of the country they went to. */
  country?: string | null;
  city?: string | null;
  /** Employer or placement agency. */
  employer?: string | null;
  /** The recruiter's number or link, as the reporter gave it. */
  recruiterContact?: string | null;
  /** When they were last heard from, in the reporter's words. */
  lastContact?: string | null;
  /** What happened, in the reporter's words. */
  story?: string | null;
  /** In danger now, by the reporter's account. */
  danger?: boolean | null;
  /** A recruiter report: keyed hashes of the offer's numbers and links (never the numbers). */
  offerContacts?: string[];
  /** A recruiter report: the offer's text, only when the person chose to give it (pasted again). */
  offerText?: string | null;
  /** What the reporter added later ("add information to my case"). */
  additions?: { at: number; text: string; key?: string }[];
}

/** Who reported, and how to reach them. Personal: sealed; removed when they ask Waspada to forget them. */
export interface Reporter {
  channel: string;
  userId: string;
  /** A safe number or address the reporter gave (besides this chat), or null. */
  contact: string | null;
}

export interface CaseNote {
  at: number;
  by: string;
  text: string;
  /** Shown to the family (and pushed to them); otherwise internal to staff. */
  family: boolean;
}

export type EventType = 'opened' | 'claimed' | 'returned' | 'noted' | 'referred' | 'stage' | 'shown' | 'closed' | 'added' | 'erased' | 'purged' | 'identified' | 'linked' | 'safety';

/** One line of a case's history. Never personal: a note's text lives in the sealed notes. */
export interface CaseEvent {
  type: EventType;
  at: number;
  /** A staff name, "family", or "system". */
  by: string;
  detail?: Record<string, string | number | boolean | null>;
}

export interface Case {
  /** Short, readable, not guessable: WSP-7K3M-9Q. */
  id: string;
  kind: CaseKind;
  urgent: boolean;
  stage: Stage;
  lang: Lang;
  /** The channel the report came from (where status messages go). */
  channel: string;
  openedAt: number;
  updatedAt: number;
  claimedBy: string | null;
  /** A claim not acted on by then returns the case to the queue (null: acted on, or unclaimed). */
  claimUntil: number | null;
  partner: string | null;
  outcome: string | null;
  closedAt: number | null;
  /** The reporter agreed that the case is shared with referral partners. */
  consentShare: boolean;
  /** Null once the personal fields were purged (retention after closing). */
  details: CaseDetails | null;
  /** Null once the reporter asked Waspada to forget them (or after retention). */
  reporter: Reporter | null;
  notes: CaseNote[];
  /** Why personal fields were removed, and when. */
  erased: { at: number; reason: string }[];
  /** The identification interview (src/hotline/identification.ts), once filled. Personal: sealed. */
  identification?: Identification | null;
  /** Version: every change increments it (changes are compare-and-set). */
  version: number;
  /**
   * Staff switched safety mode on for the reporter (someone else may read their phone): nothing is
   * sent to their chat unasked, and their conversation goes into safety mode. Absent: not asked.
   */
  safety?: boolean;
}

/** A case as listed: no personal field. */
export type CaseSummary = Omit<Case, 'details' | 'reporter' | 'notes' | 'identification'>;

export interface OpenCase {
  kind: CaseKind;
  urgent: boolean;
  lang: Lang;
  reporter: Reporter;
  consentShare: boolean;
  details: CaseDetails;
}

/** An entry of the audit log: who read or changed what, when. Never the content itself. */
export interface AuditEntry {
  at: number;
  by: string;
  role: string;
  action: string;
  case: string | null;
  /** A short non-personal detail (the stage set, the partner, the filter used). */
  detail?: string;
}
