import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { onFreePort } from './test-server';

const ROOT = resolve(__dirname, '..', '..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

/** How a finished process ended. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for a child process: ours without DATABASE_URL, plus `env`. A variable set to
 * undefined in `env` is removed.
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
}

/** A fresh folder that the user postgres can enter (the embedded server runs as it under root). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Runs a command in the project folder and resolves when it exits, whatever its status. Colour
 * codes are stripped from the output: with CI=true, TypeORM's CLI colours what it prints.
 */
export function runCommand(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Finished> {
  return new Promise((resolvePromise) => {
    execFile(command, args, { cwd: ROOT, env: childEnv(env) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolvePromise({
        code,
        stdout: stripVTControlCharacters(stdout),
        stderr: stripVTControlCharacters(stderr),
      });
    });
  });
}

/** `npm run -s <script> -- <args>`, an npm script as the docs show it. */
export function npmRun(script: string, args: string[], env: Record<string, string | undefined>) {
  return runCommand('npm', ['run', '-s', script, '--', ...args], env);
}

/** `npm run typeorm -- <args>`, the TypeORM CLI as docs/MIGRATIONS.md shows it. */
export function typeormCli(args: string[], env: Record<string, string | undefined>) {
  return npmRun('typeorm', args, env);
}

/** `src/main.ts` run by ts-node without type checking, as `npm start` runs the built file. */
export function runMain(env: Record<string, string | undefined>): Promise<Finished> {
  return runCommand(process.execPath, [...TS_NODE, 'src/main.ts'], env);
}

/** A running `src/main.ts`: the process, the port it listens on, and the environment it got. */
export interface Main {
  child: ChildProcess;
  /** The HTTP port, read from its `Listening on` line (it is started with PORT=0). */
  port: number;
  /** `http://127.0.0.1:<port>`. */
  base: string;
  /** The environment passed, with the EMBEDDED_PG_PORT it started on. */
  env: Record<string, string | undefined>;
}

/**
 * Starts `src/main.ts` on PORT=0 (unless `env` names a PORT) and resolves once it listens, with
 * the port it logged; rejects with its output if it exits first. With EMBEDDED_PG_DIR and no
 * EMBEDDED_PG_PORT, the embedded server gets a free port, and another one if that was taken
 * before PostgreSQL bound it ({@link onFreePort}).
 */
export async function startMain(env: Record<string, string | undefined>): Promise<Main> {
  const start = async (full: Record<string, string | undefined>): Promise<Main> => {
    const { child, match } = await startScript(
      'src/main.ts',
      { LOG_LEVEL: 'info', PORT: '0', ...full },
      /Listening on http:\/\/localhost:(\d+)/,
    );
    const port = Number(match[1]);
    return { child, port, base: `http://127.0.0.1:${port}`, env: full };
  };
  if (env.EMBEDDED_PG_DIR === undefined || env.EMBEDDED_PG_PORT !== undefined) return start(env);
  return onFreePort((port) => start({ ...env, EMBEDDED_PG_PORT: String(port) }));
}

/**
 * Starts a TypeScript file of the project under ts-node without type checking, and resolves once
 * its output (stdout and stderr) matches `ready`, with the match; rejects with the output if the
 * process exits first.
 */
export function startScript(
  file: string,
  env: Record<string, string | undefined>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...TS_NODE, file], { cwd: ROOT, env: childEnv(env) });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolvePromise({ child, match });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}: ${output}`)));
  });
}

/** Sends `signal` and resolves with the exit code once the process is gone. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  return new Promise<number | null>((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise(child.exitCode);
    child.once('exit', (code) => resolvePromise(code));
    child.kill(signal);
  });
}

/** `npm run seed:<command> -- <args>`, the seed commands as docs/SEEDS.md shows them. */
export function seedCli(
  command: 'run' | 'revert' | 'show',
  args: string[],
  env: Record<string, string | undefined>,
) {
  return npmRun(`seed:${command}`, args, env);
}
