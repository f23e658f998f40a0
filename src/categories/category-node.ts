import { ApiProperty } from '@nestjs/swagger';

/** A category as the API shows it, with its subtree. */
export class CategoryNode {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'phones' })
  slug!: string;

  @ApiProperty({ example: 'Phones' })
  name!: string;

  @ApiProperty({ type: 'integer' })
  sortOrder!: number;

  @ApiProperty({ type: () => [CategoryNode] })
  children!: CategoryNode[];
}

/** A row of the tree query: a category and its parent's id. */
export interface CategoryRow {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  sortOrder: number;
}

/**
 * Nests rows into trees. Rows arrive in sibling order (the query sorts them), and a row whose
 * parent is not among the rows is a root.
 *
 * @returns the roots, each with its descendants under `children`, in the order of `rows`.
 */
export function buildCategoryTree(rows: CategoryRow[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  for (const { id, slug, name, sortOrder } of rows) {
    nodes.set(id, { id, slug, name, sortOrder, children: [] });
  }
  const roots: CategoryNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
