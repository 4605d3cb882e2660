// The one form of a contact named in an offer, so that the same number, chat or address written
// differently is known as one: the recruiter cross-check (src/conversation/recruiters.ts) keys its
// counts by it. Pure text reading, like the rest of the checker.

/** A Philippine mobile written locally (09XX XXX XXXX): Indonesia's mobiles are 08…, its 09… landlines shorter. */
export const PH_MOBILE = /^09\d{9}$/;

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
    // A Philippine mobile, as the checker reads it; any other leading 0 is Indonesia's.
    else if (PH_MOBILE.test(digits)) digits = `63${digits.slice(1)}`;
    else if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
    return digits.length >= 8 && digits.length <= 15 ? `tel:${digits}` : null;
  }
  const link = value.replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '').replace(/[/?#]+$/, '');
  const slash = link.indexOf('/');
  const host = (slash < 0 ? link : link.slice(0, slash)).toLowerCase();
  const rest = slash < 0 ? '' : link.slice(slash);
  return host ? `url:${host}${rest}` : null;
}
