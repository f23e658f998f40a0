import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One counter of Better Auth's rate limiter (`rateLimit.storage: 'database'`): table
 * `auth.rate_limits`, Better Auth's `rateLimit` model (better-auth.com/docs/concepts/rate-limit)
 * in snake_case. Every app instance counts in the same rows, so a limit holds across instances.
 * Better Auth writes and prunes the rows itself; nothing else does.
 */
@Entity({ schema: 'auth', name: 'rate_limits' })
export class RateLimit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `<client IP>|<path>`, such as `203.0.113.7|/sign-in/email`. */
  @Column({ type: 'text', unique: true })
  key!: string;

  /** Requests counted in the current window. */
  @Column({ type: 'integer' })
  count!: number;

  /**
   * When the last counted request came, in milliseconds since the epoch (Better Auth's format). A
   * `bigint`, which `pg` hands over as a string. Indexed for Better Auth's pruning, which deletes
   * the rows older than the longest window.
   */
  @Index()
  @Column({ type: 'bigint' })
  lastRequest!: string;
}
