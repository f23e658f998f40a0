import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A node of the category tree: table `master.categories` (reference data that changes rarely).
 * A category has an optional parent. A trigger refuses a cycle, and the foreign key refuses to
 * delete a category that still has children (`ON DELETE RESTRICT`) or items.
 */
@Entity({ schema: 'master', name: 'categories' })
@Check('categories_slug_check', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('categories_parent_id_check', `parent_id <> id`)
export class Category {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
