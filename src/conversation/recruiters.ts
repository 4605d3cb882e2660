// Recruiter cross-check: phone numbers and links from offers are known only by keyed hashes (HMAC),
// so the counts cannot be turned back into numbers without the deployment's HASH_SECRET.
import { createHmac } from 'node:crypto';

/** One form per contact: phone numbers as digits with country code, links without scheme or "www.". */
export function normaliseContact(raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  // wa.me/<number> and api.whatsapp.com/send?phone=<number> are phone numbers.
  const wa = /(?:wa\.me\/|whatsapp\.com\/send\?phone=)\+?(\d{8,15})/i.exec(value);
  if (wa) return `tel:${wa[1]}`;
  // A chat handle and its t.me link are one contact: "@rekrut_dubai" = "https://t.me/rekrut_dubai".
  const handle = /^@([a-z][a-z0-9_]{3,31})$/i.exec(value) ?? /^(?:https?:\/\/)?t\.me\/([a-z][a-z0-9_]{3,31})\/?$/i.exec(value);
  if (handle) return `at:${handle[1]!.toLowerCase()}`;
  if (/^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/.test(value)) return `mail:${value.toLowerCase()}`;
  if (/^\+?[\d\s().-]{8,}$/.test(value)) {
    let digits = value.replace(/\D/g, '');
    if (digits.startsWith('00')) digits = digits.slice(2);
    else if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
    return digits.length >= 8 && digits.length <= 15 ? `tel:${digits}` : null;
  }
  const link = value.replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '').replace(/[/?#]+$/, '');
  const slash = link.indexOf('/');
  const host = (slash < 0 ? link : link.slice(0, slash)).toLowerCase();
  const rest = slash < 0 ? '' : link.slice(slash);
  return host ? `url:${host}${rest}` : null;
}

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

  /** Distinct contacts of an offer, each with the text it was found as and its hash. */
  contacts(found: readonly string[]): { shown: string; hash: string }[] {
    const out = new Map<string, { shown: string; hash: string }>();
    for (const raw of found) {
      const n = normaliseContact(raw);
      if (n && !out.has(n) && !this.isOfficial(n)) out.set(n, { shown: raw, hash: this.hash(n) });
    }
    return [...out.values()];
  }

  /** Who warned or reported, as a member of a HyperLogLog: a keyed hash of the user, never the id. */
  source(user: string): string {
    return this.hash(`user:${user}`);
  }
}
