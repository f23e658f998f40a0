import type { Pool } from 'pg';

/**
 * Deletes the user's oldest live sessions so that at most `cap` remain, the session `keepId`
 * always among them. One statement: the live sessions other than `keepId`, newest first, past the
 * first `cap - 1`. Expired sessions are not counted (the clean-up deletes them). Run after the
 * new session is committed, it sees every session of the user, so two sign-ins racing still end
 * with at most `cap` (each deletes what lies beyond the cap in what it sees).
 *
 * @param keepId the session just created, never deleted.
 * @param cap the largest number of live sessions the user keeps, 1 or more.
 * @returns how many sessions were deleted.
 */
export async function revokeSessionsBeyondCap(
  pool: Pool,
  userId: string,
  keepId: string,
  cap: number,
): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM auth.sessions WHERE id IN (
       SELECT id FROM auth.sessions
        WHERE user_id = $1 AND id <> $2 AND expires_at > now()
        ORDER BY created_at DESC, id DESC OFFSET $3)`,
    [userId, keepId, cap - 1],
  );
  return rowCount ?? 0;
}
