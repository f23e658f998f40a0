import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationSources } from './migration-sources';
import { runMigrationStep, walkMigrations } from './migration-steps';

/**
 * squawk rules left out for every migration, with the reason. The migration runner sets
 * `lock_timeout` on its own connection, and sets no `statement_timeout` on purpose: an index built
 * CONCURRENTLY may rightly take hours (see MigrationDataSource).
 */
export const EXCLUDED_RULES = ['require-lock-timeout', 'require-statement-timeout'];

/**
 * Rules of ours that squawk (2.61) lacks, found in squawk's own parse tree: node kind -> rule name.
 * Constraint names are what the app maps PostgreSQL errors by, and what keeps data valid.
 */
export const OWN_RULES: Record<string, { rule: string; message: string }> = {
  DROP_CONSTRAINT: {
    rule: 'ban-drop-constraint',
    message: 'Dropping a constraint removes a guarantee the data and its clients may rely on.',
  },
  RENAME_CONSTRAINT: {
    rule: 'renaming-constraint',
    message: 'Renaming a constraint breaks clients that match errors by constraint name.',
  },
};

/** The file beside the migrations holding acknowledgements: migration -> rule -> reason. */
export const ACKNOWLEDGEMENTS_FILE = 'squawk-acknowledgements.json';

/** The PostgreSQL version squawk judges for: the oldest one this project supports. */
const PG_VERSION = '15.0';

/** One thing squawk flagged in a migration's `up`. */
export interface LintFinding {
  migration: string;
  /** squawk's rule name, such as `require-concurrent-index-creation`, or one of {@link OWN_RULES}. */
  rule: string;
  message: string;
  /** The SQL text sent to PostgreSQL that holds the finding, on one line. */
  statement: string;
}

/**
 * Lints the SQL each migration's `up` sends with squawk. Each `up` runs once, on a scratch
 * database (thrown away afterwards) where every migration before it is applied, and the
 * statements it sends (with the `START TRANSACTION` and `COMMIT` around them) are what squawk
 * reads, so SQL that TypeORM's helpers build is linted too. Only `up` is linted: `down` undoes
 * `up` and drops what it made by design.
 *
 * A rule is acknowledged for a whole migration by a line `// squawk-ignore-file <rule>: <reason>`
 * in its source, or by an entry in {@link ACKNOWLEDGEMENTS_FILE} (for migrations already applied,
 * whose files the checksums freeze); for one statement by squawk's own `-- squawk-ignore <rule>`
 * in the SQL text before it.
 *
 * @param serverUrl a database on the server where the scratch database is made (CREATEDB needed).
 * @param migrationsDir the folder of the migrations to lint.
 * @returns the findings not acknowledged, in the order of the migrations.
 * @throws when a migration fails, or squawk cannot run or exits other than 0 or 1.
 */
export async function lintMigrations(
  serverUrl: string,
  migrationsDir: string,
): Promise<LintFinding[]> {
  const sources = migrationSources(migrationsDir);
  const acknowledged = readAcknowledgements(join(migrationsDir, ACKNOWLEDGEMENTS_FILE));
  const findings: LintFinding[] = [];
  await walkMigrations(serverUrl, migrationsDir, async ({ name, migration, dataSource }) => {
    const sent = await runMigrationStep(dataSource, migration, 'up');
    const source = sources.get(name);
    const ignored = [
      ...Object.keys(acknowledged[name] ?? {}),
      ...fileIgnores(source && existsSync(source) ? readFileSync(source, 'utf8') : ''),
    ];
    for (const finding of await lintSql(sent, ignored)) {
      findings.push({ migration: name, ...finding });
    }
  });
  return findings;
}

/** The rules of a source's `// squawk-ignore-file <rule>: <reason>` lines; no reason, no rule. */
export function fileIgnores(source: string): string[] {
  const lines = source.matchAll(/\/\/\s*squawk-ignore-file\s+([a-z-]+)\s*:\s*\S/gm);
  return [...lines].map((match) => match[1]!);
}

function readAcknowledgements(path: string): Record<string, Record<string, string>> {
  return existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>)
    : {};
}

/**
 * Runs squawk on SQL texts as sent to PostgreSQL, one migration's worth.
 *
 * @param sent the SQL texts in the order sent; one text may hold several statements.
 * @param ignoredRules rules acknowledged for all of `sent`.
 * @returns each finding with the text of `sent` that holds it, whitespace collapsed.
 */
export async function lintSql(
  sent: string[],
  ignoredRules: string[],
): Promise<Omit<LintFinding, 'migration'>[]> {
  const own = new Set(Object.values(OWN_RULES).map(({ rule }) => rule));
  const squawkIgnores = ignoredRules.filter((rule) => !own.has(rule));
  const header =
    squawkIgnores.length > 0 ? [`-- squawk-ignore-file ${squawkIgnores.join(', ')}`] : [];
  const texts = sent.map((text) => (/;\s*$/.test(text) ? text : `${text};`));
  // firstLines[i]: the 0-based line of `sql` where texts[i] starts.
  const firstLines: number[] = [];
  let line = header.length;
  for (const text of texts) {
    firstLines.push(line);
    line += text.split('\n').length;
  }
  const sql = [...header, ...texts].join('\n');
  const textAt = (at: number) => {
    const index = firstLines.findLastIndex((first) => first <= at);
    return index < 0 ? '' : texts[index]!;
  };

  const reported = JSON.parse(await squawk(['--reporter', 'json'], sql)) as {
    line: number;
    rule_name: string;
    message: string;
  }[];
  const findings = reported
    // squawk reports our own rules' names in ignore comments as unknown.
    .filter((f) => !(f.rule_name === 'unused-ignore' && own.has(f.message.split(' ').at(-1)!)))
    .map((f) => ({ rule: f.rule_name, message: f.message, at: f.line }));

  const bytes = Buffer.from(sql);
  for (const match of (await squawk(['--debug', 'parse'], sql)).matchAll(
    /^\s*([A-Z_]+)@(\d+)\./gm,
  )) {
    const found = OWN_RULES[match[1]!];
    if (!found || ignoredRules.includes(found.rule)) continue;
    const at = bytes.subarray(0, Number(match[2])).toString().split('\n').length - 1;
    const ignoreComment = new RegExp(`--\\s*squawk-ignore\\s[^\\n]*\\b${found.rule}\\b`);
    if (!ignoreComment.test(textAt(at))) findings.push({ ...found, at });
  }

  return findings
    .sort((a, b) => a.at - b.at)
    .map(({ rule, message, at }) => ({
      rule,
      message,
      statement: textAt(at).replace(/\s+/g, ' ').trim(),
    }));
}

/** squawk's binary, from the platform package that squawk-cli picked at install time. */
function squawkBinary(): string {
  // Required here rather than imported: squawk-cli is a development dependency, and the other
  // commands of db-cli run without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cli = require('squawk-cli/js/index.js') as { getBinaryPath(): string };
  return cli.getBinaryPath();
}

/**
 * Runs squawk on `sql` (stdin) and gives its stdout; exit 1 means findings, not failure.
 *
 * @throws when squawk is not installed, or exits with another status (its stderr in the message).
 */
function squawk(args: string[], sql: string): Promise<string> {
  const all = [...args, '--pg-version', PG_VERSION, '--exclude', EXCLUDED_RULES.join(',')];
  return new Promise((resolve, reject) => {
    const child = execFile(
      squawkBinary(),
      all,
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && error.code !== 1)
          reject(new Error(`squawk failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
    // A squawk that exits before reading all of stdin is reported by the callback above.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(sql);
  });
}
