// The audit log of staff accounts: every change to an account (made, disabled, a sign-in link issued,
// a password set) with who made it and when, whether from the web console or `npm run staff`. A Redis
// stream (keyspace().staffConsole.audit), capped at about 100,000 entries. It never holds a password,
// a link or its hash: only names, roles and what was done.
import type { Redis } from 'ioredis';
import { keyspace } from '../store/keys.js';

export const ACCOUNT_ACTIONS = ['account-added', 'account-disabled', 'link-issued', 'password-set'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export interface AccountAuditEntry {
  at: number;
  /** Who did it: a staff name, or "cli:<login name>" for `npm run staff`. */
  by: string;
  action: AccountAction;
  /** The account changed. */
  account: string;
  /** A short non-secret detail (the role given). */
  detail?: string;
}

const MAX_ENTRIES = 100_000;

export class AccountAudit {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = keyspace(prefix).staffConsole.audit;
  }

  async record(entry: Omit<AccountAuditEntry, 'at'>): Promise<void> {
    const fields = ['at', String(this.now()), 'by', entry.by, 'action', entry.action, 'account', entry.account, ...(entry.detail ? ['detail', entry.detail] : [])];
    await this.redis.xadd(this.key, 'MAXLEN', '~', MAX_ENTRIES, '*', ...fields);
  }

  /** The latest entries, newest first. */
  async recent(limit = 200): Promise<AccountAuditEntry[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', limit);
    return rows.map(([, f]) => {
      const h: Record<string, string> = {};
      for (let i = 0; i + 1 < f.length; i += 2) h[f[i]!] = f[i + 1]!;
      return { at: Number(h.at), by: h.by ?? '', action: h.action as AccountAction, account: h.account ?? '', ...(h.detail ? { detail: h.detail } : {}) };
    });
  }
}
