import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';

/**
 * A node of the category tree: table `master.categories` (reference data that changes rarely).
 * A category has an optional parent. A trigger refuses a cycle, and the foreign key refuses to
 * delete a category that still has children (`ON DELETE RESTRICT`) or items.
 */
@Entity({ schema: 'master', name: 'categories' })
@Check('categories_slug_check', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('categories_parent_id_check', `parent_id <> id`)
export class Category extends TimestampedEntity {
  @Index()
  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne('Category', { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  parent?: Relation<Category> | null;

  /** Lower-case words joined by hyphens, unique: the category's address in the API. */
  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Position among its siblings, ascending. */
  @Column({ type: 'integer', default: 0 })
  sortOrder!: number;
}
