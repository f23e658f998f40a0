/** The role every new user gets (Better Auth's admin plugin `defaultRole`). */
export const DEFAULT_ROLE = 'user';

/** The roles that make a user an admin (the admin plugin's `adminRoles`). */
export const ADMIN_ROLES = ['admin'] as const;

/** A role this app knows. */
export type Role = typeof DEFAULT_ROLE | (typeof ADMIN_ROLES)[number];

/**
 * Whether a user's `role` field holds one of `wanted`. Better Auth stores several roles
 * comma-separated (`admin,user`), so the field is split the way its admin plugin splits it.
 */
export function hasAnyRole(field: string | null | undefined, wanted: readonly string[]): boolean {
  if (!field) return false;
  return field.split(',').some((role) => wanted.includes(role.trim()));
}
