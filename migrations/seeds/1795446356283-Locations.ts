import type { QueryRunner } from 'typeorm';
import { type InsertedRows, insertReturningIds, Seed } from '../../src/migration-tools/seeds/seed';

/**
 * Reference data of `master.locations`: every ISO 3166-1 country (alpha-2 code and English short
 * name) and every first-level ISO 3166-2 subdivision (one whose parent is a country, not another
 * subdivision), from the npm package `iso-3166` (the version in package-lock.json), which
 * maintains them from Wikipedia's ISO 3166 pages.
 */
export class Locations1795446356283 extends Seed {
  async up(queryRunner: QueryRunner): Promise<InsertedRows[]> {
    // iso-3166 is an ES module only: import() loads it from this CommonJS file.
    const { iso31661, iso31662 } = await import('iso-3166');
    const countryCodes = new Set(iso31661.map((country) => country.alpha2));
    const subdivisions = iso31662.filter((subdivision) => countryCodes.has(subdivision.parent));

    const countries = await insertReturningIds(
      queryRunner,
      'master.locations',
      `INSERT INTO master.locations (code, name)
       SELECT code, name FROM unnest($1::text[], $2::text[]) AS source (code, name)
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [iso31661.map((country) => country.alpha2), iso31661.map((country) => country.name)],
    );
    const firstLevel = await insertReturningIds(
      queryRunner,
      'master.locations',
      `INSERT INTO master.locations (code, name, parent_id)
       SELECT source.code, source.name, country.id
         FROM unnest($1::text[], $2::text[], $3::text[]) AS source (code, name, country)
         JOIN master.locations country ON country.code = source.country
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [
        subdivisions.map((subdivision) => subdivision.code),
        subdivisions.map((subdivision) => subdivision.name),
        subdivisions.map((subdivision) => subdivision.parent),
      ],
    );
    return [countries, firstLevel];
  }
}
