'use strict';
/**
 * Whether the compiled build (`dist/`) is current for a compiled file: the file exists and is
 * newer than every file and folder of `src/` and `migrations/` and than `ormconfig.ts`,
 * `package.json`, `package-lock.json`, `tsconfig.json` and `nest-cli.json`. A folder's time changes
 * when a file in it is added, removed or renamed, so a deleted migration (whose compiled copy would
 * still be in `dist/migrations`) makes the build stale too. Times are modification times in ms.
 *
 * Used by `src/bin/launch.cjs`, by `npm start` (`node src/bin/build-freshness.cjs
 * dist/src/main.js || nest build`: exit 0 when current, 1 when stale) and by the HTTP bench. Plain
 * JavaScript: it must run before anything compiles TypeScript.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const SOURCES = [
  'src',
  'migrations',
  'ormconfig.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'nest-cli.json',
];

/** The latest modification time under `path` (the path itself included), in ms; 0 if absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** `compiled`: a path under the project root, such as `dist/src/main.js`. */
function isBuildCurrent(compiled) {
  const path = join(ROOT, compiled);
  return (
    existsSync(path) &&
    statSync(path).mtimeMs >= Math.max(...SOURCES.map((source) => newest(join(ROOT, source))))
  );
}

module.exports = { isBuildCurrent };

if (require.main === module) process.exit(isBuildCurrent(process.argv[2] ?? '') ? 0 : 1);
