import { createRequire } from 'node:module';
import { type CustomTypesConfig, types } from 'pg';

/** PostgreSQL's type OID of `timestamptz` (pg_type.oid). */
export const TIMESTAMPTZ_OID = 1184;

/**
 * The parser `pg` installs for `timestamptz` text: `postgres-date`, as `pg`'s own `pg-types`
 * resolves it (found through `pg` itself, so that a parser the process installed with
 * `types.setTypeParser` before this module loaded is not mistaken for it).
 */
const PG_DEFAULT_PARSER = createRequire(createRequire(require.resolve('pg')).resolve('pg-types'))(
  'postgres-date',
) as (text: string) => Date | number | null;

/** Two decimal digits of `text` at `at` as a number; NaN when either is not a digit. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

/**
 * A `timestamptz` in PostgreSQL's text output (DateStyle ISO, the default) as a `Date`: the value
 * `pg`'s own parser (`postgres-date`) returns, for every input, but in a fifth of its time for the
 * form PostgreSQL sends under a whole-hour time zone (see {@link parseWholeHourTimestamptz}). Any
 * other form (a minutes offset, a year outside 100 to 9999, `BC`, `infinity`) goes to
 * `postgres-date` unchanged, so the result may also be a number (plus or minus `Infinity`) or null.
 *
 * Why: the session lookup parses five of these on every authenticated request, and a page of items
 * forty; at about 0.6 microseconds each, `postgres-date` was the largest part of the lookup's row
 * handling (docs/PERFORMANCE.md).
 */
export function parseTimestamptz(text: string): Date | number | null {
  return parseWholeHourTimestamptz(text) ?? PG_DEFAULT_PARSER(text);
}

/**
 * `YYYY-MM-DD HH:MM:SS[.f{1,6}]+HH` (or `-HH`), a year from 100 to 9999, as a `Date`, with the
 * digits past the millisecond dropped as `postgres-date` drops them; undefined for any other text.
 * That is PostgreSQL's output of a `timestamptz` when the session's `TimeZone` has a whole-hour
 * offset, such as UTC (PostgreSQL docs, 8.5.2 "Date/Time Output").
 */
export function parseWholeHourTimestamptz(text: string): Date | undefined {
  const length = text.length;
  if (
    length < 22 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 /* space */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  let at = 19;
  let milliseconds = 0;
  if (text.charCodeAt(at) === 46 /* . */) {
    at++;
    let scale = 100;
    for (let digit = text.charCodeAt(at) - 48; digit >= 0 && digit <= 9;) {
      if (scale >= 1) milliseconds += digit * scale;
      scale /= 10;
      digit = text.charCodeAt(++at) - 48;
    }
    if (at === 20 || at > 26) return undefined; // one to six digits
  }
  const sign = text.charCodeAt(at);
  const offsetHours = twoDigits(text, at + 1);
  const fields = year + month + day + hour + minute + second + offsetHours;
  if (
    at + 3 !== length ||
    (sign !== 43 /* + */ && sign !== 45) /* - */ ||
    Number.isNaN(fields) /* not a digit */ ||
    year < 100
  ) {
    return undefined;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  return new Date(utc - (sign === 43 ? offsetHours : -offsetHours) * 3_600_000);
}

/**
 * `pg`'s per-query `types` for the hot-path queries (the session lookup, the item page): every
 * type parses with `pg`'s process-wide parsers (`pg.types`; the app gives its pool no `types` of
 * its own), `timestamptz` text with {@link parseTimestamptz}. When the process has installed a
 * `timestamptz` parser of its own (`types.setTypeParser(1184, ...)`), whenever it did, that one
 * is used: the fast path replaces `pg`'s default only.
 */
export const HOT_PATH_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const parser: unknown = types.getTypeParser(oid, format ?? 'text');
    return oid === TIMESTAMPTZ_OID && parser === PG_DEFAULT_PARSER ? parseTimestamptz : parser;
  }) as CustomTypesConfig['getTypeParser'],
};
