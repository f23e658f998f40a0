import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ReplicaReads } from '../database/replica-reads';
import { Category } from './category.entity';
import { buildCategoryTree, type CategoryNode, type CategoryRow } from './category-node';

/** A recursive walk down from the roots it is given, siblings ordered by sort_order then name. */
const SUBTREE_SQL = (roots: string) => `
  WITH RECURSIVE tree AS (
    SELECT c.id, c.parent_id, c.slug, c.name, c.sort_order,
           ARRAY[ARRAY[c.sort_order::text, c.name]] AS path
      FROM master.categories c WHERE ${roots}
    UNION ALL
    SELECT c.id, c.parent_id, c.slug, c.name, c.sort_order,
           tree.path || ARRAY[c.sort_order::text, c.name]
      FROM master.categories c JOIN tree ON c.parent_id = tree.id
  )
  SELECT id, parent_id AS "parentId", slug, name, sort_order AS "sortOrder"
    FROM tree ORDER BY path`;

/** The repository of {@link Category}: the tree, read in one round trip, and safe changes to it. */
@Injectable()
export class CategoriesRepository extends Repository<Category> {
  /**
   * The lag-tolerant reads, served by a replica when `DATABASE_REPLICA_URLS` names one; every
   * other query, moves and deletes included, goes to the primary (docs/SCALING.md).
   */
  private readonly replica = ReplicaReads.of(this.manager.dataSource);
  constructor(dataSource: DataSource) {
    super(Category, dataSource.createEntityManager());
  }

  /** Every category, nested under the top-level ones, in one query. */
  async findForest(): Promise<CategoryNode[]> {
    const rows = await this.replica.read((manager) =>
      manager.query<CategoryRow[]>(SUBTREE_SQL('c.parent_id IS NULL')),
    );
    return buildCategoryTree(rows);
  }

  /** The category with this slug and its whole subtree, in one query; null when none. */
  async findSubtree(slug: string): Promise<CategoryNode | null> {
    const rows = await this.replica.read((manager) =>
      manager.query<CategoryRow[]>(SUBTREE_SQL('c.slug = $1'), [slug]),
    );
    return buildCategoryTree(rows)[0] ?? null;
  }
}
