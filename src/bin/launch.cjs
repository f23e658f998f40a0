'use strict';
/**
 * `node src/bin/launch.cjs <entry> [args...]`: runs the command-line entry point
 * `src/bin/<entry>.ts` (db-cli, typeorm-cli, admin-grant) with `args`, from the compiled build
 * (`dist/src/bin/<entry>.js`, about 0.5 s faster a command) when that build is current, else from
 * the TypeScript source under ts-node without type checking.
 *
 * When the build is current: see `build-freshness.cjs` (a deleted migration, too, sends the
 * command to ts-node). `npm run build` makes the build current again. Plain JavaScript: it must run before anything compiles
 * TypeScript.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { isBuildCurrent } = require('./build-freshness.cjs');

const ROOT = join(__dirname, '..', '..');

const [entry = '', ...args] = process.argv.slice(2);
if (!/^[a-z][a-z-]*$/.test(entry) || !existsSync(join(ROOT, 'src', 'bin', `${entry}.ts`))) {
  console.error(`Usage: node src/bin/launch.cjs <entry point of src/bin> [arguments]`);
  process.exit(1);
}
const compiled = join(ROOT, 'dist', 'src', 'bin', `${entry}.js`);
const current = isBuildCurrent(join('dist', 'src', 'bin', `${entry}.js`));
const script = current ? compiled : join(ROOT, 'src', 'bin', `${entry}.ts`);
if (process.env.LAUNCH_VERBOSE) console.error(`launch: ${script}`);
// The entry point reads its arguments from process.argv.slice(2), as if started directly.
process.argv = [process.argv[0], script, ...args];
if (!current) {
  process.env.TS_NODE_TRANSPILE_ONLY = '1';
  require('ts-node/register');
}
require(script);
