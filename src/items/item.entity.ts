import {
  Check,
  Column,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  type Relation,
} from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';
import type { Category } from '../categories/category.entity';
import type { Location } from '../locations/location.entity';
import type { User } from '../users/user.entity';
import type { ItemMetadata } from './item-metadata';
import { ItemStatus } from './item-status';

/**
 * Something a user owns and publishes: table `app.items` (application data). Deleting the user
 * deletes the items; a category with items cannot be deleted; deleting a location clears it.
 * Deleting an item through TypeORM only sets `deleted_at` (soft delete); it can be restored.
 *
 * The index on (user_id, created_at, id) serves the listing (a user's items, newest first, keyset
 * paginated) and the foreign key on user_id.
 */
@Entity({ schema: 'app', name: 'items' })
@Index(['userId', 'createdAt', 'id'])
@Check('items_title_check', `length(btrim(title)) > 0`)
export class Item extends TimestampedEntity {
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  user?: Relation<User>;

  @Index()
  @Column({ type: 'uuid' })
  categoryId!: string;

  @ManyToOne('Category', { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  category?: Relation<Category>;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  locationId!: string | null;

  @ManyToOne('Location', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn()
  location?: Relation<Location> | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'enum', enum: ItemStatus, enumName: 'item_status', default: ItemStatus.Draft })
  status!: ItemStatus;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  metadata!: ItemMetadata;

  /** Set when the item is soft-deleted; null while it is live. */
  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;
}
