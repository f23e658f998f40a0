import { normalizeEmail } from '../users/email';

type Body = Record<string, unknown>;

/**
 * A Better Auth request body with every email address in it in this project's stored form
 * (`normalizeEmail`): `email` (sign-up, sign-in, password reset, verification mail, admin
 * create-user), `newEmail` (change-email) and `data.email` (admin update-user). Run as a `before`
 * hook, it comes before Better Auth's own checks (its `z.email()` accepts only ASCII domains, so
 * `user@B\u00fccher.example` is accepted as `user@xn--bcher-kva.example`).
 *
 * @returns the new body, or undefined when no address needed a change (or there is no body).
 */
export function withNormalizedEmails(body: unknown): Body | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Body;
  let changed: Body | undefined;
  for (const key of ['email', 'newEmail']) {
    const value = fields[key];
    if (typeof value === 'string' && normalizeEmail(value) !== value) {
      changed = { ...(changed ?? fields), [key]: normalizeEmail(value) };
    }
  }
  const data = withNormalizedEmails(fields.data);
  if (data) changed = { ...(changed ?? fields), data };
  return changed;
}

/**
 * A user record (or partial update) about to be written by Better Auth, with `email`, when
 * present, in the stored form: the `databaseHooks.user` rule, for writers no hook saw.
 */
export function withNormalizedEmail<T extends { email?: string | null }>(user: T): T {
  return typeof user.email === 'string' ? { ...user, email: normalizeEmail(user.email) } : user;
}
