// The stores the conversation service uses, one per concept: sessions (src/store/sessions.ts) and the
// recruiter registry (src/store/recruiters.ts), each with a Redis and a memory implementation.
import type { CaseStore } from '../hotline/cases.js';
import type { RecruiterRegistry } from './recruiters.js';
import type { SessionStore } from './sessions.js';

/**
 * Both stores on one connection, and closing it: what a process opens at start (RedisStore) or the
 * demo keeps in memory (MemoryStore).
 */
export interface Store {
  readonly sessions: SessionStore;
  readonly recruiters: RecruiterRegistry;
  /** The hotline's cases. */
  readonly cases: CaseStore;
  close(): Promise<void>;
}

/**
 * Whether an error means Redis could not be reached or cannot take writes just now (down, restarting,
 * loading its data, out of memory, a replica during failover, a Cluster's slots moving to a promoted
 * replica), as opposed to a mistake in the code: work that failed this way is done again later
 * instead of being given up.
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string } | null;
  if (!e) return false;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (e.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/.test(e.code)) return true;
  return /Connection is closed|Stream isn't writeable|enableOfflineQueue|connect ETIMEDOUT|ECONNREFUSED|^LOADING|^OOM|^READONLY|^MASTERDOWN|^CLUSTERDOWN|^TRYAGAIN|^MOVED |^ASK |Too many Cluster redirections|Failed to refresh slots cache/.test(e.message ?? '');
}
