import { Client } from 'pg';
import { HOT_PATH_TYPES, parseWholeHourTimestamptz } from '../../src/database/timestamptz-parser';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/**
 * The hot path's `timestamptz` parser against what a real server sends: every value parses to
 * what `pg`'s own parser gives, under time zones with whole-hour, half-hour and historic offsets.
 */
describe('HOT_PATH_TYPES on a real server', () => {
  let database: TestDatabase;
  let client: Client;

  // Microseconds of every length (trailing zeros are not printed), years 2000 to 2202 and the ends
  // of the fast path's range, 0100 and 9999,
  // daylight-saving edges, and the forms left to pg: infinity, BC, years before 100.
  const VALUES_SQL = `SELECT ts, ts::text AS text FROM (
      SELECT timestamptz '2000-01-01 00:00:00+00'
             + make_interval(days => n * 37, secs => (n * 7919 % 86400) + (n * 104729 % 1000000) / 1e6) AS ts
        FROM generate_series(0, 2000) AS n
      UNION ALL SELECT unnest(ARRAY[
        timestamptz '0100-03-01 12:00:00+00', timestamptz '9999-12-31 23:59:59.999999+00',
        timestamptz '2026-03-29 01:59:59.5+00', timestamptz '2026-10-25 01:00:00.25+00',
        timestamptz '0050-06-15 12:00:00+00', timestamptz '0044-03-15 12:00:00+00 BC',
        timestamptz 'infinity', timestamptz '-infinity'])
    ) AS v`;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Europe/Amsterdam'])(
    'gives the Dates pg gives under TimeZone %s',
    async (zone) => {
      await client.query(`SET TimeZone = '${zone}'`);
      const ours = await client.query<{ ts: unknown }>({ text: VALUES_SQL, types: HOT_PATH_TYPES });
      const pgs = await client.query<{ ts: unknown }>(VALUES_SQL);
      const asData = (value: unknown) => (value instanceof Date ? value.getTime() : value);

      expect(ours.rows).toHaveLength(2009);
      expect(ours.rows.map((row) => asData(row.ts))).toEqual(pgs.rows.map((row) => asData(row.ts)));
    },
  );

  it('takes the fast path for every value from 100 to 9999 under UTC and none under Asia/Kolkata', async () => {
    const fastOnes = async (zone: string) => {
      await client.query(`SET TimeZone = '${zone}'`);
      const { rows } = await client.query<{ text: string }>(VALUES_SQL);
      return rows.filter((row) => parseWholeHourTimestamptz(row.text) !== undefined).length;
    };

    // Of the 2,009 values, four are left to pg: 0050, 0044 BC, infinity and -infinity.
    expect(await fastOnes('UTC')).toBe(2005);
    expect(await fastOnes('Asia/Kolkata')).toBe(0);
  });
});
