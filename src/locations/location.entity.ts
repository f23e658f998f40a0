import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';

/**
 * A country (ISO 3166-1 alpha-2 code, e.g. `FR`) or one of its first-level subdivisions
 * (ISO 3166-2 code, e.g. `FR-IDF`, whose parent is the country): table `master.locations`.
 */
@Entity({ schema: 'master', name: 'locations' })
@Check('locations_code_check', `code ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'`)
@Check('locations_parent_id_check', `(parent_id IS NULL) = (length(code) = 2)`)
export class Location extends TimestampedEntity {
  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The country of a subdivision; null for a country. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne('Location', { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  parent?: Relation<Location> | null;
}
