import type { QueryRunner } from 'typeorm';
import { type InsertedRows, insertReturningIds, Seed } from '../../src/migration-tools/seeds/seed';

/** A starter category: slug, name, and the slugs of its subcategories with their names. */
const TREE: [slug: string, name: string, children: [slug: string, name: string][]][] = [
  [
    'electronics',
    'Electronics',
    [
      ['phones', 'Phones'],
      ['computers', 'Computers'],
      ['cameras', 'Cameras'],
      ['audio', 'Audio'],
    ],
  ],
  [
    'home-garden',
    'Home and Garden',
    [
      ['furniture', 'Furniture'],
      ['kitchen', 'Kitchen'],
      ['garden', 'Garden'],
    ],
  ],
  [
    'fashion',
    'Fashion',
    [
      ['clothing', 'Clothing'],
      ['shoes', 'Shoes'],
      ['accessories', 'Accessories'],
    ],
  ],
  [
    'vehicles',
    'Vehicles',
    [
      ['cars', 'Cars'],
      ['motorcycles', 'Motorcycles'],
      ['bicycles', 'Bicycles'],
    ],
  ],
  [
    'leisure',
    'Leisure',
    [
      ['books', 'Books'],
      ['sports', 'Sports'],
      ['toys-games', 'Toys and Games'],
    ],
  ],
];

/**
 * Reference data of `master.categories`: a starter tree of 5 top-level categories and 16
 * subcategories, each level ordered by `sort_order` (its position in the list, from 0).
 */
export class Categories1795446357283 extends Seed {
  async up(queryRunner: QueryRunner): Promise<InsertedRows[]> {
    const topLevel = await insertReturningIds(
      queryRunner,
      'master.categories',
      `INSERT INTO master.categories (slug, name, sort_order)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [TREE.map(([slug]) => slug), TREE.map(([, name]) => name), TREE.map((_, index) => index)],
    );
    const children = TREE.flatMap(([parent, , subcategories]) =>
      subcategories.map(([slug, name], index) => ({ parent, slug, name, index })),
    );
    const subcategories = await insertReturningIds(
      queryRunner,
      'master.categories',
      `INSERT INTO master.categories (parent_id, slug, name, sort_order)
       SELECT parent.id, source.slug, source.name, source.sort_order
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
           AS source (parent, slug, name, sort_order)
         JOIN master.categories parent ON parent.slug = source.parent
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [
        children.map((child) => child.parent),
        children.map((child) => child.slug),
        children.map((child) => child.name),
        children.map((child) => child.index),
      ],
    );
    return [topLevel, subcategories];
  }
}
