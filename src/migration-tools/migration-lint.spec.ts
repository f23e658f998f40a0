import { acceptances, splitStatements, widens } from './migration-lint';

describe(widens.name, () => {
  it.each([
    ['character varying(100)', 'varchar(200)'],
    ['character varying(100)', 'text'],
    ['character varying(100)', 'character varying'],
    ['smallint', 'int'],
    ['integer', 'bigint'],
    ['numeric(10,2)', 'numeric(12,2)'],
    ['text', 'TEXT'],
  ])('keeps every value from %s to %s', (from, to) => {
    expect(widens(from, to)).toBe(true);
  });

  it.each([
    ['character varying(100)', 'varchar(50)'],
    ['text', 'varchar(255)'],
    ['bigint', 'integer'],
    ['numeric(10,2)', 'numeric(10,1)'],
    ['text', 'integer'],
    ['timestamp with time zone', 'date'],
  ])('counts %s to %s as narrowing', (from, to) => {
    expect(widens(from, to)).toBe(false);
  });
});

describe(splitStatements.name, () => {
  it('splits on semicolons outside literals, comments and dollar-quoted bodies', () => {
    const sql = `DROP TABLE a; -- DROP TABLE b;
      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; DROP TABLE c $body$;
      INSERT INTO t VALUES ('x; DROP TABLE d') /* ; DROP TABLE e */`;

    expect(splitStatements(sql)).toEqual([
      'DROP TABLE a',
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS ''",
      "INSERT INTO t VALUES ('')",
    ]);
  });
});

describe(acceptances.name, () => {
  it('reads each rule and reason of the db-lint-accept comments; a comment without a reason counts for nothing', () => {
    const source = [
      '// db-lint-accept drop-column: archived in the data warehouse since 2.3',
      '  //db-lint-accept   drop-table:emptied by the previous release  ',
      '// db-lint-accept set-not-null',
    ].join('\n');

    expect(Object.fromEntries(acceptances(source))).toEqual({
      'drop-column': 'archived in the data warehouse since 2.3',
      'drop-table': 'emptied by the previous release',
    });
  });
});
