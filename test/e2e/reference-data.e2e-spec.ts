import { CategoriesRepository } from '../../src/categories/categories.repository';
import { newCategory, newItem, newLocation, newUser } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('reference data: /categories and /locations', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sut = await createTestApp();
    const insert = async (slug: string, name: string, sortOrder: number, parent?: string) => {
      const parentId = parent ? ids[parent] : undefined;
      ids[slug] = (await newCategory(sut.dataSource, { slug, name, sortOrder, parentId })).id;
    };
    await insert('electronics', 'Electronics', 1);
    await insert('phones', 'Phones', 2, 'electronics');
    await insert('laptops', 'Laptops', 1, 'electronics');
    await insert('gaming-laptops', 'Gaming laptops', 0, 'laptops');
    await insert('books', 'Books', 0);
    const france = await newLocation(sut.dataSource, 'FR', { name: 'France' });
    await newLocation(sut.dataSource, 'DE', { name: 'Germany' });
    await newLocation(sut.dataSource, 'FR-IDF', { name: 'Ile-de-France', parentId: france.id });
    await newLocation(sut.dataSource, 'FR-ARA', {
      name: 'Auvergne-Rhone-Alpes',
      parentId: france.id,
    });
  });

  afterAll(async () => {
    await sut?.close();
  });

  const node = (slug: string, name: string, sortOrder: number, children: unknown[] = []) => ({
    id: ids[slug],
    slug,
    name,
    sortOrder,
    children,
  });

  describe('GET /categories', () => {
    it('answers the whole tree, siblings by sort order', async () => {
      const response = await http().get('/categories').expect(200);

      expect(response.body).toEqual([
        node('books', 'Books', 0),
        node('electronics', 'Electronics', 1, [
          node('laptops', 'Laptops', 1, [node('gaming-laptops', 'Gaming laptops', 0)]),
          node('phones', 'Phones', 2),
        ]),
      ]);
    });

    it('answers one category with its subtree', async () => {
      const response = await http().get('/categories/laptops').expect(200);

      expect(response.body).toEqual(
        node('laptops', 'Laptops', 1, [node('gaming-laptops', 'Gaming laptops', 0)]),
      );
    });

    it('answers 404 for an unknown slug and 400 naming slug for a malformed one', async () => {
      await http().get('/categories/toys').expect(404);
      const response = await http().get('/categories/Not_A_Slug').expect(400);

      expect(response.body.details).toEqual([
        { field: 'slug', message: 'slug must be lower-case letters and digits joined by hyphens' },
      ]);
    });
  });

  describe(CategoriesRepository.name, () => {
    const repository = () => sut.app.get(CategoriesRepository);

    it('reads a whole subtree, however deep, in one SQL statement', async () => {
      // Without replicas, the lag-tolerant reads run on the DataSource's own manager.
      const spy = jest.spyOn(sut.dataSource.manager, 'query');
      try {
        const subtree = await repository().findSubtree('electronics');

        expect(spy).toHaveBeenCalledTimes(1);
        expect(subtree?.children.map((child) => child.slug)).toContain('phones');
      } finally {
        spy.mockRestore();
      }
    });
  });

  // The tree's rules live in the database: whatever code moves or deletes a category (a migration,
  // a seed, an admin's SQL) meets them.
  describe('the category tree in the database', () => {
    const move = (id: string, parentId: string) =>
      sut.rows(`UPDATE master.categories SET parent_id = $2 WHERE id = $1`, [id, parentId]);
    const remove = (id: string) =>
      sut.rows(
        `WITH deleted AS (DELETE FROM master.categories WHERE id = $1 RETURNING id) SELECT id FROM deleted`,
        [id],
      );
    // ON DELETE RESTRICT: SQLSTATE 23001 on PostgreSQL 18, 23503 on PostgreSQL 15 (docs/SCHEMA.md).
    const stillReferenced = (constraint: string): unknown =>
      expect.objectContaining({
        code: expect.stringMatching(/^(23001|23503)$/) as unknown,
        constraint,
      });

    it('refuses to move a category under itself or one of its descendants', async () => {
      const cycle = { code: '23514', constraint: 'categories_parent_id_check' };

      await expect(move(ids.electronics!, ids.electronics!)).rejects.toMatchObject(cycle);
      await expect(move(ids.electronics!, ids['gaming-laptops']!)).rejects.toMatchObject(cycle);
      const [row] = await sut.rows(`SELECT parent_id FROM master.categories WHERE id = $1`, [
        ids.electronics,
      ]);
      expect(row).toEqual({ parent_id: null });
    });

    it('moves a category elsewhere in the tree', async () => {
      await move(ids.phones!, ids.books!);

      const repository = sut.app.get(CategoriesRepository);
      expect((await repository.findSubtree('books'))?.children.map((child) => child.slug)).toEqual([
        'phones',
      ]);
      await move(ids.phones!, ids.electronics!);
    });

    it('refuses to delete a category that has subcategories or items, and deletes an unused one', async () => {
      const user = await newUser(sut.dataSource);
      await newItem(sut.dataSource, user.id, ids.phones!, { title: 'Phone' });

      await expect(remove(ids.laptops!)).rejects.toEqual(
        stillReferenced('categories_parent_id_fkey'),
      );
      await expect(remove(ids.phones!)).rejects.toEqual(stillReferenced('items_category_id_fkey'));
      expect(await remove(ids['gaming-laptops']!)).toEqual([{ id: ids['gaming-laptops'] }]);
      expect(await remove(ids['gaming-laptops']!)).toEqual([]);
      await newCategory(sut.dataSource, {
        id: ids['gaming-laptops'],
        slug: 'gaming-laptops',
        name: 'Gaming laptops',
        parentId: ids.laptops,
      });
    });
  });

  describe('GET /locations', () => {
    it('answers the countries by code', async () => {
      const response = await http().get('/locations').expect(200);

      expect(response.body).toEqual([
        { code: 'DE', name: 'Germany', country: null },
        { code: 'FR', name: 'France', country: null },
      ]);
    });

    it('answers the subdivisions of a country', async () => {
      const response = await http().get('/locations').query({ country: 'FR' }).expect(200);

      expect(response.body).toEqual([
        { code: 'FR-ARA', name: 'Auvergne-Rhone-Alpes', country: 'FR' },
        { code: 'FR-IDF', name: 'Ile-de-France', country: 'FR' },
      ]);
    });

    it('answers an empty list for a country without subdivisions, 404 for an unknown one', async () => {
      await http().get('/locations').query({ country: 'DE' }).expect(200, []);
      await http().get('/locations').query({ country: 'XX' }).expect(404);
    });

    it('answers 400 naming country for a malformed code', async () => {
      const response = await http().get('/locations').query({ country: 'fr' }).expect(400);

      expect(response.body.details).toEqual([
        { field: 'country', message: 'country must be an ISO 3166-1 alpha-2 code such as FR' },
      ]);
    });

    it('answers one location by code, with its country', async () => {
      await http()
        .get('/locations/FR-IDF')
        .expect(200, { code: 'FR-IDF', name: 'Ile-de-France', country: 'FR' });
      await http().get('/locations/FR').expect(200, { code: 'FR', name: 'France', country: null });
    });

    it('answers 404 for an unknown code and 400 naming code for a malformed one', async () => {
      await http().get('/locations/FR-ZZZ').expect(404);
      const response = await http().get('/locations/france').expect(400);

      expect(response.body.details[0].field).toBe('code');
    });
  });
});
