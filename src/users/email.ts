/**
 * The form in which this project stores and looks up an email address: trimmed and lower-cased,
 * as Better Auth stores it. Uniqueness does not depend on it: the unique index
 * `users_email_lower_key` is on `lower(email)`.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
