import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const INITDB_TIMEOUT_MS = 180_000;

/**
 * Creates a PGlite data directory in a short-lived child process. PGlite's initdb holds
 * two Postgres instances and a copy of a WASM heap at once (~500 MB), and a WASM heap never
 * shrinks: done in this process, a fresh start would keep that memory for its lifetime.
 */
export async function initDataDirInChild(dir: string, startParams: string[]): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const pglite = require.resolve('@electric-sql/pglite');
  const script = `require(${JSON.stringify(pglite)}).PGlite.create(process.argv[1], { startParams: JSON.parse(process.argv[2]) }).then((db) => db.close())`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, dir, JSON.stringify(startParams)],
      { timeout: INITDB_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '' } },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`PGlite initdb failed: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}
