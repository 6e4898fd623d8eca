import { execFileSync } from 'node:child_process';

/**
 * Validates an OpenAPI document with @apidevtools/swagger-parser: against the OpenAPI JSON
 * Schema and its own checks ($refs resolve, path parameters declared, unique operation ids).
 * In a child Node process: the parser's dependencies are ES modules, which Node loads with
 * require() (20.19+) but jest's module runtime cannot. Resolves with the problem, or undefined.
 */
export function openApiProblem(doc: object): string | undefined {
  const script = `require('@apidevtools/swagger-parser')
    .validate(JSON.parse(require('node:fs').readFileSync(0, 'utf8')))
    .then(() => undefined, (e) => { process.stdout.write(e.message); process.exitCode = 1; });`;
  try {
    execFileSync(process.execPath, ['-e', script], {
      input: JSON.stringify(doc),
      cwd: __dirname,
      timeout: 60_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return undefined;
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString();
    return out || String(e);
  }
}
