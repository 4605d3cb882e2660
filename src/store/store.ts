// The store interface the conversation service uses. Two implementations: Redis (production, tests)
// and memory (the demo only). One contract suite (test/store/contract.ts) runs against both.
import type { Session } from '../engine/types.js';
import type { UserKey } from './keys.js';


export interface Claim {
  /** Proves ownership of the user's lock; pass it to commit or release. */
  token: string;
  session: Session | null;
  /** This message id was handled before (a re-delivery). */
  seen: boolean;
}

export interface Store {
  /** Takes the user's lock if it is free, reading the session and the message's seen-mark in the same step. */
  begin(user: UserKey, messageId: string, token: string, lockMs: number): Promise<Claim | null>;
  /**
   * Atomically saves the session (or erases it when null), marks the message handled and frees the lock.
   * Returns false, changing nothing, when the lock is no longer ours.
   */
  commit(user: UserKey, token: string, messageId: string, session: Session | null): Promise<boolean>;
  release(user: UserKey, token: string): Promise<void>;
  /** Deletes every key holding the user's personal data. */
  forgetUser(user: UserKey): Promise<void>;
  /**
   * Recruiter cross-check. Contacts (phone numbers, links) are known only by keyed hashes, and the
   * people who warned about or reported them only as members of a HyperLogLog: counts, no identities.
   */
  /** Counts of other people than `source` (HyperLogLog counts are approximate). */
  recruiterCounts(hashes: string[], source: string): Promise<RecruiterCount[]>;
  recordRecruiters(kind: 'warned' | 'reported', hashes: string[], source: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface RecruiterCount {
  /** Distinct people whose high-risk offer contained it. */
  warned: number;
  /** Distinct people who reported it. */
  reported: number;
  /** Distinct people who did either (one who warned and reported counts once). */
  people: number;
}

/** Recruiter counts are kept a year after the last warning or report. */
export const RECRUITER_TTL_S = 365 * 24 * 3600;

export const SESSION_TTL_S = 30 * 24 * 3600;
export const SEEN_TTL_S = 48 * 3600;

export function encodeSession(s: Session): string {
  return JSON.stringify(s);
}

export function decodeSession(raw: string | null | undefined): Session | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    return s && s.v === 1 ? s : null;
  } catch {
    return null;
  }
}

/**
 * Whether an error means Redis could not be reached or cannot take writes just now (down, restarting,
 * loading its data, out of memory, a replica during failover), as opposed to a mistake in the code:
 * work that failed this way is done again later instead of being given up.
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string } | null;
  if (!e) return false;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (e.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/.test(e.code)) return true;
  return /Connection is closed|Stream isn't writeable|enableOfflineQueue|connect ETIMEDOUT|ECONNREFUSED|^LOADING|^OOM|^READONLY|^MASTERDOWN|^CLUSTERDOWN|^TRYAGAIN/.test(e.message ?? '');
}
