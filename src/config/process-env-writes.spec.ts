import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The one file allowed to touch `process.env` beyond reading it: the configuration loader. */
const LOADER = 'config/environment.ts';
const SRC = join(__dirname, '..');

/** `process.env`, possibly parenthesised or asserted (`(process.env as X)`). */
function isProcessEnv(node: ts.Node): boolean {
  let inner = node;
  while (
    ts.isParenthesizedExpression(inner) ||
    ts.isAsExpression(inner) ||
    ts.isNonNullExpression(inner)
  ) {
    inner = inner.expression;
  }
  return (
    ts.isPropertyAccessExpression(inner) &&
    inner.name.text === 'env' &&
    ts.isIdentifier(inner.expression) &&
    inner.expression.text === 'process'
  );
}

/** `process.env`, `process.env.X` or `process.env[x]`. */
function isProcessEnvOrMember(node: ts.Node): boolean {
  if (isProcessEnv(node)) return true;
  return (
    (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
    isProcessEnv(node.expression)
  );
}

/** Calls that write the object passed first: `Object.assign(process.env, ...)` and the like. */
const WRITING_CALLS = new Set([
  'Object.assign',
  'Object.defineProperty',
  'Object.defineProperties',
  'Reflect.set',
  'Reflect.defineProperty',
  'Reflect.deleteProperty',
]);

/**
 * The lines (1-based) of `source` that write `process.env`: an assignment of any operator
 * (`=`, `||=`, `??=`, `+=`...) to it or a member, `++`/`--`, `delete`, or a call of
 * {@link WRITING_CALLS} on it. Reads, and copies such as `{ ...process.env }`, are not writes.
 */
function processEnvWrites(fileName: string, source: string): number[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    const written =
      (ts.isBinaryExpression(node) &&
        node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
        isProcessEnvOrMember(node.left)) ||
      ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
        (node.operator === ts.SyntaxKind.PlusPlusToken ||
          node.operator === ts.SyntaxKind.MinusMinusToken) &&
        isProcessEnvOrMember(node.operand)) ||
      (ts.isDeleteExpression(node) && isProcessEnvOrMember(node.expression)) ||
      (ts.isCallExpression(node) &&
        WRITING_CALLS.has(node.expression.getText(file)) &&
        node.arguments.length > 0 &&
        isProcessEnv(node.arguments[0]!));
    if (written) lines.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}

/** Every `.ts` file under `dir`, as paths relative to {@link SRC}. */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

describe('writes to process.env', () => {
  it('happen nowhere under src/ but in the configuration loader', () => {
    const writes = typeScriptFiles(SRC)
      .filter((file) => file !== LOADER)
      .flatMap((file) =>
        processEnvWrites(file, readFileSync(join(SRC, file), 'utf8')).map(
          (line) => `src/${file}:${line}`,
        ),
      );

    // The configuration is a value (parseConfig, AppModule.forRoot): pass it, never write the env.
    expect(writes).toEqual([]);
  });

  it.each([
    'process.env.DATABASE_URL = url;',
    "process.env['PORT'] = '0';",
    'process.env[name] = value;',
    "process.env.PORT ||= '3000';",
    "process.env.PORT ??= '3000';",
    "process.env.PATH += ':/bin';",
    '(process.env as Record<string, string>).X = "1";',
    'process.env = {};',
    'delete process.env.DATABASE_REPLICA_URLS;',
    'delete process.env[name];',
    'Object.assign(process.env, { PORT: "0" });',
    "Object.defineProperty(process.env, 'PORT', { value: '0' });",
    "Reflect.set(process.env, 'PORT', '0');",
    "Reflect.deleteProperty(process.env, 'PORT');",
  ])('are found in: %s', (statement) => {
    expect(processEnvWrites('probe.ts', `const x = 1;\n${statement}\n`)).toEqual([2]);
  });

  it.each([
    'const url = process.env.DATABASE_URL;',
    'const config = parseConfig(process.env);',
    'const env = { ...process.env, DATABASE_URL: undefined };',
    "spawn('node', [], { env: { ...process.env, PORT: '0' } });",
    'const copy = Object.assign({}, process.env);',
    'if (process.env.CI === "true") run();',
  ])('are not seen in reads such as: %s', (statement) => {
    expect(processEnvWrites('probe.ts', statement)).toEqual([]);
  });
});
