import { CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * The columns every table of ours starts with: a random `uuid` primary key (`gen_random_uuid()`,
 * built into PostgreSQL 13 and later) and `created_at`/`updated_at` as `timestamptz` (UTC).
 * `updated_at` is set to `now()` on every update, by TypeORM and by a trigger for writers that
 * bypass it (see the migrations). Not an entity itself: entities extend it.
 */
export abstract class TimestampedEntity {
  /** Random UUID (v4) from `gen_random_uuid()`. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
