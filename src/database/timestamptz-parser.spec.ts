import type * as pg from 'pg';
import { types } from 'pg';
import {
  HOT_PATH_TYPES,
  parseTimestamptz,
  parseWholeHourTimestamptz,
  TIMESTAMPTZ_OID,
} from './timestamptz-parser';
import type * as TimestamptzParser from './timestamptz-parser';

/** pg's own parser, the reference: ours must return what it returns, for every input. */
const pgParser = types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => unknown;

/** A value as comparable data: a Date's epoch ms, anything else as it is. */
const comparable = (value: unknown) =>
  value instanceof Date ? { date: value.getTime() } : { other: value };

describe(parseTimestamptz.name, () => {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');

  it('returns what pg parses for 20,000 random timestamps in whole-hour zones, every fraction length', () => {
    // mulberry32, a fixed-seed generator, so that a failure names a reproducible input.
    let seed = 20261130;
    const random = (below: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
      return Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32) * below);
    };
    const seen = { months: new Set<number>(), hours: new Set<number>(), days: new Set<number>() };
    for (let n = 0; n < 20_000; n++) {
      const fractionDigits = n % 7;
      const fraction =
        fractionDigits === 0 ? '' : `.${pad(random(10 ** fractionDigits), fractionDigits)}`;
      const offset = random(27) - 12;
      const [month, day, hour] = [1 + random(12), 1 + random(31), random(24)];
      seen.months.add(month);
      seen.days.add(day);
      seen.hours.add(hour);
      const text =
        `${pad(100 + random(9900), 4)}-${pad(month, 2)}-${pad(day, 2)} ` +
        `${pad(hour, 2)}:${pad(random(60), 2)}:${pad(random(60), 2)}${fraction}` +
        `${offset < 0 ? '-' : '+'}${pad(Math.abs(offset), 2)}`;

      expect({ text, ...comparable(parseWholeHourTimestamptz(text)) }).toEqual({
        text,
        ...comparable(pgParser(text)),
      });
      expect(parseTimestamptz(text)).toEqual(pgParser(text));
    }
    // The generator reaches every month, day (31 included: Date.UTC rolls 2026-02-31 over, as pg's
    // parser does) and hour.
    expect([seen.months.size, seen.days.size, seen.hours.size]).toEqual([12, 31, 24]);
  });

  it('drops every fraction past the millisecond as pg does, for all 1,111,110 fractions of 1 to 6 digits', () => {
    let mismatches = 0;
    for (let digits = 1; digits <= 6; digits++) {
      for (let value = 0; value < 10 ** digits; value++) {
        const text = `2026-11-30 16:47:41.${pad(value, digits)}+00`;
        const ours = parseWholeHourTimestamptz(text)!;
        const theirs = pgParser(text) as Date;
        if (ours.getTime() !== theirs.getTime()) mismatches++;
      }
    }

    expect(mismatches).toBe(0);
  });

  it.each([
    ['a minutes offset', '2026-11-30 16:47:41.5+05:30'],
    ['a seconds offset', '1890-01-01 00:00:00+00:53:28'],
    ['a year before 100', '0050-06-15 12:00:00+00'],
    ['a five-digit year', '12026-11-30 16:47:41+00'],
    ['BC', '2026-11-30 16:47:41+00 BC'],
    ['infinity', 'infinity'],
    ['-infinity', '-infinity'],
    ['a date alone', '2026-11-30'],
    ['seven fraction digits', '2026-11-30 16:47:41.1234567+00'],
    ['a dot without digits', '2026-11-30 16:47:41.+00'],
    ['no offset', '2026-11-30 16:47:41.123'],
    ['a one-digit offset', '2026-11-30 16:47:41+0'],
    ['a letter in the hour', '2026-11-30 1a:47:41+00'],
    ['a letter in the offset', '2026-11-30 16:47:41+0x'],
    ['a trailing character', '2026-11-30 16:47:41+00Z'],
    ['a T separator', '2026-11-30T16:47:41+00'],
    ['a Z zone', '2026-11-30 16:47:41.123Z'],
  ])('leaves %s (%s) to pg', (_case, text) => {
    expect(parseWholeHourTimestamptz(text)).toBeUndefined();
  });

  it('reads the offset with its sign: 16:00-05 is 21:00 UTC, 16:00+05 is 11:00 UTC', () => {
    expect(parseWholeHourTimestamptz('2026-11-30 16:00:00-05')?.toISOString()).toBe(
      '2026-11-30T21:00:00.000Z',
    );
    expect(parseWholeHourTimestamptz('2026-11-30 16:00:00+05')?.toISOString()).toBe(
      '2026-11-30T11:00:00.000Z',
    );
  });
});

describe('HOT_PATH_TYPES', () => {
  afterEach(() => types.setTypeParser(TIMESTAMPTZ_OID, pgParser));

  it('parses timestamptz text with parseTimestamptz and every other type as pg does', () => {
    expect(HOT_PATH_TYPES.getTypeParser(TIMESTAMPTZ_OID, 'text')).toBe(parseTimestamptz);
    for (const oid of [16, 20, 25, 114, 1082, 1114, 2950, 3802]) {
      expect(HOT_PATH_TYPES.getTypeParser(oid, 'text')).toBe(types.getTypeParser(oid, 'text'));
    }
    expect(HOT_PATH_TYPES.getTypeParser(TIMESTAMPTZ_OID, 'binary')).toBe(
      types.getTypeParser(TIMESTAMPTZ_OID, 'binary'),
    );
  });

  it("keeps a timestamptz parser the process installed in place of pg's", () => {
    const asText = (text: string) => text;
    types.setTypeParser(TIMESTAMPTZ_OID, asText);

    expect(HOT_PATH_TYPES.getTypeParser(TIMESTAMPTZ_OID, 'text')).toBe(asText);
  });

  it('keeps one installed before this module was loaded too', () => {
    const asText = (text: string) => text;
    jest.isolateModules(() => {
      // A fresh registry: this pg and this module are new instances, loaded in this order.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const freshPg = require('pg') as typeof pg;
      freshPg.types.setTypeParser(TIMESTAMPTZ_OID, asText);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./timestamptz-parser') as typeof TimestamptzParser;

      expect(freshPg.types).not.toBe(types);
      expect(fresh.HOT_PATH_TYPES.getTypeParser(TIMESTAMPTZ_OID, 'text')).toBe(asText);
    });
  });
});
