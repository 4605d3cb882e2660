// Recruiter cross-check: phone numbers and links from offers are known only by keyed hashes (HMAC),
// so the counts cannot be turned back into numbers without the deployment's HASH_SECRET.
import { createHmac } from 'node:crypto';
import { normaliseContact } from '../checker/contacts.js';

const hostOf = (normalised: string) => normalised.slice(4).split('/')[0]!;

export class RecruiterHasher {
  /** Official numbers, chat handles and e-mail addresses, normalised. */
  private readonly officialOther = new Set<string>();
  private readonly officialHosts = new Set<string>();

  /**
   * @param official numbers and addresses of official services (data/contacts.yaml): a scam that
   *   cites them does not make them look like a recruiter's. Government sites (.go.id) count too.
   */
  constructor(
    private readonly secret: string,
    official: readonly string[] = [],
  ) {
    for (const raw of official) {
      const n = normaliseContact(raw);
      if (n?.startsWith('url:')) this.officialHosts.add(hostOf(n));
      else if (n) this.officialOther.add(n);
    }
  }

  isOfficial(normalised: string): boolean {
    if (normalised.startsWith('url:')) {
      const host = hostOf(normalised);
      return this.officialHosts.has(host) || host.endsWith('.go.id');
    }
    // An official office's own number, handle or address; any address at a government domain.
    return this.officialOther.has(normalised) || (normalised.startsWith('mail:') && normalised.endsWith('.go.id'));
  }

  hash(normalised: string): string {
    return createHmac('sha256', this.secret).update(normalised).digest('base64url').slice(0, 22);
  }

  /** Distinct contacts of an offer (and the accounts it asks to pay into), each with the text it was found as and its hash. */
  contacts(found: readonly string[], accounts: readonly string[] = []): { shown: string; hash: string; account?: true }[] {
    const out = new Map<string, { shown: string; hash: string; account?: true }>();
    for (const raw of found) {
      const n = normaliseContact(raw);
      if (n && !out.has(n) && !this.isOfficial(n)) out.set(n, { shown: raw, hash: this.hash(n) });
    }
    // Bank accounts to pay into (digits, from the checker): their own kind, never a phone.
    for (const digits of accounts) {
      const n = `acct:${digits}`;
      if (/^\d{6,20}$/.test(digits) && !out.has(n)) out.set(n, { shown: digits, hash: this.hash(n), account: true });
    }
    return [...out.values()];
  }

  /** Who warned or reported, as a member of a HyperLogLog: a keyed hash of the user, never the id. */
  source(user: string): string {
    return this.hash(`user:${user}`);
  }
}
