// `npm run test:load`: the k6 scripts against one built app on the local Postgres and Redis.
// Fails when k6 reports a failed threshold. Bounded: each script runs for a fixed time.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess } from '../support/app-process';
import { createTestDatabase } from '../support/database';
import { TEST_REDIS_URL, testNamespace } from '../support/redis';
import { removeTrackedResources } from '../support/resources';

const ROOT = join(__dirname, '../..');
const K6_RUN_LIMIT_MS = 180_000;

/** K6_BIN, then the shared tools folder beside the checkout, then `k6` on PATH. */
function findK6(): string {
  const candidates = [process.env.K6_BIN, join(ROOT, '../shared/tools/k6')];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? 'k6';
}

interface Run {
  script: string;
  env: Record<string, string>;
}

const RUNS: Run[] = [
  { script: 'k6/order-flow.js', env: { VUS: '10', DURATION: '30s' } },
  { script: 'k6/browse-and-cart.js', env: { VUS: '20', RAMP: '5s', DURATION: '20s' } },
];

function runK6(k6: string, run: Run, baseUrl: string, summaryFile: string): Promise<number> {
  const env = { BASE_URL: baseUrl, ...run.env };
  const args = ['run', '--quiet', '--summary-export', summaryFile];
  args.push('--summary-trend-stats', 'avg,med,p(95),p(99),max');
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  const child = spawn(k6, [...args, join(ROOT, run.script)], { stdio: 'inherit' });
  const limit = setTimeout(() => child.kill('SIGKILL'), K6_RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', (e) =>
      reject(new Error(`could not run k6 (${e.message}): install k6 or set K6_BIN`)),
    );
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

function summarize(script: string, file: string): string {
  if (!existsSync(file)) return `${script}: no summary (k6 did not finish)`;
  const { metrics } = JSON.parse(readFileSync(file, 'utf8')) as {
    metrics: Record<string, Record<string, number>>;
  };
  const d = metrics.http_req_duration;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return (
    `${script}: ${metrics.http_reqs.count} requests, checks ${pct(metrics.checks.value)} ` +
    `(${metrics.checks.passes} passed, ${metrics.checks.fails} failed), ` +
    `http_req_failed ${pct(metrics.http_req_failed.value)}, ` +
    `p95 ${d['p(95)'].toFixed(1)} ms, p99 ${d['p(99)'].toFixed(1)} ms`
  );
}

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
        `${code === 0 ? 'PASS' : `FAIL (k6 exit ${code})`} ${summarize(run.script, summary)}`,
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
