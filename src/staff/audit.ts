// The staff audit log: every change to an account (made, disabled, a sign-in link issued, a password
// set, a test chat set) and every campaign action (made, paused, resumed, cancelled, a test sent), with
// who did it and when, whether from the web console, the JSON API or `npm run staff`. A Redis stream
// (keyspace().staffConsole.audit), capped at about 100,000 entries; admins read it in the console. It
// never holds a password, a link or its hash, nor a message's text, nor a chat's id: only names, roles,
// campaign ids, what was done, and a test send's chat as a keyed hash (HASH_SECRET).
import { createHmac } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import { keyspace } from '../store/keys.js';

export const CAMPAIGN_AUDIT_ACTIONS = ['campaign-created', 'campaign-paused', 'campaign-resumed', 'campaign-cancelled', 'campaign-test'] as const;
export type CampaignAuditAction = (typeof CAMPAIGN_AUDIT_ACTIONS)[number];
export const ACCOUNT_ACTIONS = ['account-added', 'account-disabled', 'link-issued', 'password-set', 'test-chat-set', ...CAMPAIGN_AUDIT_ACTIONS] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export interface AccountAuditEntry {
  at: number;
  /** Who did it: a staff name, or "cli:<login name>" for `npm run staff`. */
  by: string;
  action: AccountAction;
  /** The account changed (empty for a campaign action). */
  account: string;
  /** The campaign acted on (its id). */
  campaign?: string;
  /** Where a test went: a keyed hash of its channel and chat, never the chat's id. */
  chat?: string;
  /** A short non-secret detail (the role given, a channel, when a campaign starts). */
  detail?: string;
}

const MAX_ENTRIES = 100_000;
const OPTIONAL = ['campaign', 'chat', 'detail'] as const;

export class AccountAudit {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = keyspace(prefix).staffConsole.audit;
  }

  async record(entry: Omit<AccountAuditEntry, 'at'>): Promise<void> {
    const fields = ['at', String(this.now()), 'by', entry.by, 'action', entry.action, 'account', entry.account, ...OPTIONAL.flatMap((k) => (entry[k] ? [k, entry[k]!] : []))];
    await this.redis.xadd(this.key, 'MAXLEN', '~', MAX_ENTRIES, '*', ...fields);
  }

  /** The latest entries, newest first. */
  async recent(limit = 200): Promise<AccountAuditEntry[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', limit);
    return rows.map(([, f]) => {
      const h: Record<string, string> = {};
      for (let i = 0; i + 1 < f.length; i += 2) h[f[i]!] = f[i + 1]!;
      return { at: Number(h.at), by: h.by ?? '', action: h.action as AccountAction, account: h.account ?? '', ...Object.fromEntries(OPTIONAL.flatMap((k) => (h[k] ? [[k, h[k]]] : []))) };
    });
  }
}

/** Campaign actions in the staff audit log, from the console and the JSON API alike (src/staff/api.ts). */
export class CampaignAudit {
  private readonly log: AccountAudit;

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly hashSecret: string,
    now?: () => number,
  ) {
    this.log = new AccountAudit(redis, prefix, now);
  }

  /** A chat as the audit log names it: a keyed hash of its channel and id (the same chat, the same hash). */
  chatRef(to: { channel: string; user: string }): string {
    return createHmac('sha256', this.hashSecret).update(`audit-chat:${to.channel}:${to.user}`).digest('base64url').slice(0, 22);
  }

  record(by: string, action: Exclude<CampaignAuditAction, 'campaign-test'>, campaign: string, detail?: string): Promise<void> {
    return this.log.record({ by, action, account: '', campaign, ...(detail ? { detail } : {}) });
  }

  /** A test send, to `to`: its channel and the chat's keyed hash, never the text. */
  testSent(by: string, to: { channel: string; user: string }): Promise<void> {
    return this.log.record({ by, action: 'campaign-test', account: '', chat: this.chatRef(to), detail: to.channel });
  }
}
