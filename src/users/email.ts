/**
 * The stored form of an email address: trimmed and lower-cased. The check constraint
 * `users_email_check` refuses any other form, so uniqueness is case-insensitive.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
