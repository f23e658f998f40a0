import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Every TypeScript file under `dir`, as paths relative to the project. */
function typescriptFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(m|c)?ts$/.test(file))
    .map((file) => join(dir, file));
}

/** An import, dynamic import, require or jest.mock of a path below the package root. */
const INTERNAL = /(?:from\s+|import\(\s*|require\(\s*|mock\(\s*)['"](typeorm\/[^'"]+)['"]/g;

/**
 * TypeORM's published CLI program (its package.json `bin`), which the TypeORM CLI entry point
 * must load by path: the one allowed path under `typeorm/`.
 */
const CLI = { file: join('src', 'bin', 'typeorm-cli.ts'), path: 'typeorm/cli.js' };

describe('imports of TypeORM', () => {
  it('come from the package root only, so that a minor release cannot break the code', () => {
    const files = [...typescriptFiles('src'), ...typescriptFiles('test'), 'ormconfig.ts'];
    const internal = files.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(INTERNAL)]
        .map((match) => ({ file: relative('.', file), path: match[1] }))
        .filter(({ file: path, path: imported }) => !(path === CLI.file && imported === CLI.path)),
    );

    expect(files.length).toBeGreaterThan(100);
    expect(internal).toEqual([]);
  });

  it('allow the CLI program by the path TypeORM publishes it under', () => {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', 'typeorm', 'package.json'), 'utf8'),
    ) as { bin: Record<string, string> };

    expect(`typeorm/${manifest.bin.typeorm?.replace(/^\.\//, '')}`).toBe(CLI.path);
  });
});
