import { fileIgnores, lintSql } from './migration-lint';

/** SQL as a transactional migration sends it: TypeORM's START TRANSACTION and COMMIT around it. */
const inTransaction = (...statements: string[]) => ['START TRANSACTION', ...statements, 'COMMIT'];

const rulesOf = async (sent: string[], ignored: string[] = []) =>
  (await lintSql(sent, ignored)).map(({ rule }) => rule);

describe(lintSql.name, () => {
  // One fixture per rule of the lint before squawk, and the rule that now catches it.
  it.each`
    before                          | sql                                                                         | rule
    ${'drop-table'}                 | ${'DROP TABLE things'}                                                      | ${'ban-drop-table'}
    ${'drop-column'}                | ${'ALTER TABLE things DROP COLUMN note'}                                    | ${'ban-drop-column'}
    ${'narrow-type'}                | ${'ALTER TABLE things ALTER COLUMN name TYPE varchar(50)'}                  | ${'changing-column-type'}
    ${'set-not-null'}               | ${'ALTER TABLE things ALTER COLUMN code SET NOT NULL'}                      | ${'adding-not-nullable-field'}
    ${'drop-constraint'}            | ${'ALTER TABLE things DROP CONSTRAINT things_code_key'}                     | ${'ban-drop-constraint'}
    ${'rename-constraint'}          | ${'ALTER TABLE things RENAME CONSTRAINT things_code_key TO things_code_uq'} | ${'renaming-constraint'}
    ${'index-without-concurrently'} | ${'CREATE INDEX things_name_idx ON things (name)'}                          | ${'require-concurrent-index-creation'}
  `(
    'catches what $before caught as $rule, and keeps quiet once $rule is acknowledged',
    async ({ sql, rule }: { sql: string; rule: string }) => {
      const findings = await lintSql(inTransaction(sql), []);

      expect(findings.filter((finding) => finding.rule === rule)).toEqual([
        { rule, message: expect.any(String), statement: `${sql};` },
      ]);
      expect(await rulesOf(inTransaction(sql), [rule])).not.toContain(rule);
    },
  );

  it('names the statement that holds each finding, whitespace collapsed', async () => {
    const findings = await lintSql(
      inTransaction('CREATE TABLE olds (id bigint)', 'ALTER TABLE things\n  DROP COLUMN note;'),
      [],
    );

    expect(findings).toEqual([
      {
        rule: 'ban-drop-column',
        message: 'Dropping a column may break existing clients.',
        statement: 'ALTER TABLE things DROP COLUMN note;',
      },
    ]);
  });

  it('leaves out an index on a table made in the same transaction, and one built CONCURRENTLY', async () => {
    expect(
      await rulesOf(
        inTransaction('CREATE TABLE fresh (id bigint)', 'CREATE INDEX fresh_id_idx ON fresh (id)'),
      ),
    ).toEqual([]);
    expect(
      await rulesOf(['CREATE INDEX CONCURRENTLY IF NOT EXISTS things_name_idx ON things (name)']),
    ).toEqual([]);
  });

  it("honours squawk's own -- squawk-ignore before one statement, for its rules and ours", async () => {
    const sent = inTransaction(
      '-- squawk-ignore ban-drop-column\nALTER TABLE things DROP COLUMN note',
      '-- squawk-ignore ban-drop-constraint\nALTER TABLE things DROP CONSTRAINT things_code_key',
      'ALTER TABLE things DROP COLUMN code',
    );

    expect(await lintSql(sent, [])).toEqual([
      expect.objectContaining({
        rule: 'ban-drop-column',
        statement: 'ALTER TABLE things DROP COLUMN code;',
      }),
    ]);
  });
});

describe(fileIgnores.name, () => {
  it('reads the rule of each squawk-ignore-file comment that gives a reason', () => {
    const source = [
      '// squawk-ignore-file ban-drop-column: archived in the data warehouse since 2.3',
      '  //squawk-ignore-file   ban-drop-table:emptied by the previous release  ',
      '// squawk-ignore-file adding-not-nullable-field',
    ].join('\n');

    expect(fileIgnores(source)).toEqual(['ban-drop-column', 'ban-drop-table']);
  });
});
