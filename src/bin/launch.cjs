'use strict';
/**
 * `node src/bin/launch.cjs <entry> [args...]`: runs the command-line entry point
 * `src/bin/<entry>.ts` (db-cli, typeorm-cli, admin-grant) with `args`, from the compiled build
 * (`dist/src/bin/<entry>.js`, about 0.5 s faster a command) when that build is current, else from
 * the TypeScript source under ts-node without type checking.
 *
 * The build is current when the compiled entry point is newer than every file and folder of
 * `src/`, `migrations/`, `ormconfig.ts`, `package.json` and `tsconfig.json`. A folder's time
 * changes when a file in it is added, removed or renamed, so a deleted migration (whose compiled
 * copy would still be in dist/migrations) also sends the command to ts-node. `npm run build`
 * makes the build current again. Plain JavaScript: it must run before anything compiles
 * TypeScript.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['src', 'migrations', 'ormconfig.ts', 'package.json', 'tsconfig.json'];

/** The latest modification time under `path` (the path itself included), in ms. */
function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const [entry = '', ...args] = process.argv.slice(2);
if (!/^[a-z][a-z-]*$/.test(entry) || !existsSync(join(ROOT, 'src', 'bin', `${entry}.ts`))) {
  console.error(`Usage: node src/bin/launch.cjs <entry point of src/bin> [arguments]`);
  process.exit(1);
}
const compiled = join(ROOT, 'dist', 'src', 'bin', `${entry}.js`);
const current =
  existsSync(compiled) &&
  statSync(compiled).mtimeMs >= Math.max(...SOURCES.map((source) => newest(join(ROOT, source))));
const script = current ? compiled : join(ROOT, 'src', 'bin', `${entry}.ts`);
if (process.env.LAUNCH_VERBOSE) console.error(`launch: ${script}`);
// The entry point reads its arguments from process.argv.slice(2), as if started directly.
process.argv = [process.argv[0], script, ...args];
if (!current) {
  process.env.TS_NODE_TRANSPILE_ONLY = '1';
  require('ts-node/register');
}
require(script);
