import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readFileSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('launch.cjs', () => {
  let project: string;
  /** Writes `text` to `path` in the fake project, with its modification time `secondsAgo` ago. */
  const write = (path: string, text: string, secondsAgo: number) => {
    const file = join(project, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    const time = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, time, time);
  };
  const ageFolders = (secondsAgo: number) => {
    const time = new Date(Date.now() - secondsAgo * 1000);
    for (const dir of ['src', 'src/bin', 'migrations']) utimesSync(join(project, dir), time, time);
  };
  const launch = (...args: string[]) =>
    spawnSync(process.execPath, [join(project, 'src', 'bin', 'launch.cjs'), ...args], {
      encoding: 'utf8',
    });

  // A project whose build (60 s old) is newer than all its sources (120 s old).
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'launch-'));
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    const echo = (from: string) => `console.log('${from}', process.argv.slice(2).join(' '));\n`;
    for (const file of ['launch.cjs', 'build-freshness.cjs'])
      write(`src/bin/${file}`, readFileSync(join(__dirname, file), 'utf8'), 120);
    // Type annotations: only ts-node can run this file.
    write(
      'src/bin/tool.ts',
      `const args: string[] = process.argv.slice(2);\n${echo('source')}`,
      120,
    );
    write('migrations/1-First.ts', '', 120);
    for (const file of ['ormconfig.ts', 'package.json', 'package-lock.json', 'tsconfig.json'])
      write(file, '{}', 120);
    write('dist/src/bin/tool.js', echo('build'), 60);
    ageFolders(120);
  });

  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('runs the compiled entry point with its arguments when the build is current', () => {
    expect(launch('tool', 'status', '--json').stdout).toBe('build status --json\n');
  });

  it('runs the TypeScript source once a source file is newer than the build', () => {
    write('src/bin/tool.ts', "console.log('edited', process.argv.slice(2).join(' '));\n", 0);

    expect(launch('tool', 'status').stdout).toBe('edited status\n');
  });

  it('runs the TypeScript source once a migration was deleted after the build', () => {
    unlinkSync(join(project, 'migrations', '1-First.ts'));

    expect(launch('tool', 'status').stdout).toBe('source status\n');
  });

  it('runs the TypeScript source when there is no build', () => {
    rmSync(join(project, 'dist'), { recursive: true });

    expect(launch('tool').stdout).toBe('source \n');
  });

  it('refuses an entry point that is not in src/bin, exiting 1', () => {
    const result = launch('../../etc/passwd');

    expect([result.status, result.stderr]).toEqual([
      1,
      'Usage: node src/bin/launch.cjs <entry point of src/bin> [arguments]\n',
    ]);
  });
});
