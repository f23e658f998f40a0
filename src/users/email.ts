import { domainToASCII } from 'node:url';

/**
 * The one form in which this project stores and looks up an email address: trimmed, the local
 * part lower-cased, the domain in its ASCII form (punycode, `xn--`) through `node:url`'s
 * `domainToASCII`, which implements UTS #46 processing as the WHATWG URL standard does (it also
 * lower-cases and maps full-width and other compatibility characters). So `User@B\u00fccher.example`
 * and `user@xn--bcher-kva.example` are one address. A domain that UTS #46 refuses is left
 * lower-cased as given, for the email validator to refuse.
 *
 * Better Auth lower-cases emails itself (`email.toLowerCase()` in sign-up, sign-in and its
 * internal adapter); the hook of `auth-options.ts` hands it addresses in this form first, and
 * lower-casing this form changes nothing, so both agree. Uniqueness does not depend on it: the
 * unique index `users_email_lower_key` is on `lower(email)`.
 *
 * @param email an address as a client sent it.
 * @returns the address in the stored form.
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed.toLowerCase();
  const domain = trimmed.slice(at + 1);
  return `${trimmed.slice(0, at).toLowerCase()}@${domainToASCII(domain) || domain.toLowerCase()}`;
}
