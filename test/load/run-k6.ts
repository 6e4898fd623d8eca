// `npm run test:load`: the k6 scripts against one built app on the local Postgres and Redis.
// Fails when k6 reports a failed threshold. Bounded: each script runs for a fixed time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess } from '../support/app-process';
import { createTestDatabase } from '../support/database';
import { TEST_REDIS_URL, testNamespace } from '../support/redis';
import { removeTrackedResources } from '../support/resources';
import { findK6, K6Run, runK6, summarizeK6 } from './k6';

const RUNS: K6Run[] = [
  { script: 'k6/order-flow.js', env: { VUS: '10', DURATION: '30s' } },
  { script: 'k6/browse-and-cart.js', env: { VUS: '20', RAMP: '5s', DURATION: '20s' } },
];

async function main(): Promise<number> {
  const k6 = findK6();
  const db = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'k6-'));
  const app = await startAppProcess({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    LOG_LEVEL: 'warn',
    // Every virtual user comes from 127.0.0.1: the per-address limits would count them as one.
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100000',
    SESSION_NEW_PER_MINUTE: '0',
  }).catch(async (e: unknown) => {
    await db.drop();
    throw e;
  });
  try {
    // Enough stock that every order of the run can succeed: a 409 would fail the checks.
    await db.query('UPDATE inventory.stock SET quantity = 1000000');
    const lines: string[] = [];
    let failed = 0;
    for (const run of RUNS) {
      const summary = join(dir, `${run.script.replace(/\W/g, '_')}.json`);
      const code = await runK6(k6, run, app.url, summary);
      if (code !== 0) failed += 1;
      lines.push(
        `${code === 0 ? 'PASS' : `FAIL (k6 exit ${code})`} ${summarizeK6(run.script, summary)}`,
      );
    }
    console.log(`\nLoad test against ${app.url}:\n  ${lines.join('\n  ')}`);
    return failed === 0 ? 0 : 1;
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
    await removeTrackedResources();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
