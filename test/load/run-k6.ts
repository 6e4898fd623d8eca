// `npm run test:load`: the k6 scripts against one built app on the local Postgres and Redis.
// Fails when k6 reports a failed threshold, or when PostgreSQL disagrees with what k6 saw:
// orders stored ≠ 201s counted, or stock taken ≠ units ordered. Bounded: each script runs
// for a fixed time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEnvOn, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { removeTrackedResources } from '../support/resources';
import { findK6, K6_INSTALL_HINT, K6Run, K6Summary, readSummary, runK6, summarize } from './k6';

const RUNS: K6Run[] = [
  { script: 'k6/order-flow.js', env: { VUS: '10', DURATION: '30s' } },
  { script: 'k6/browse-and-cart.js', env: { VUS: '20', RAMP: '5s', DURATION: '20s' } },
];

interface Ledger {
  lastOrderId: string;
  stock: Map<string, number>;
}

async function ledger(db: TestDatabase): Promise<Ledger> {
  const [{ last }] = await db.query<{ last: string }>(
    'SELECT coalesce(max(id), 0)::text AS last FROM orders.orders',
  );
  const rows = await db.query<{ product_code: string; quantity: number }>(
    'SELECT product_code, quantity FROM inventory.stock',
  );
  return { lastOrderId: last, stock: new Map(rows.map((r) => [r.product_code, r.quantity])) };
}

/**
 * What a run left in PostgreSQL against what k6 counted: one order per 201, and stock lower
 * by exactly the units ordered, product by product. Returns the disagreements.
 */
async function reconcile(db: TestDatabase, before: Ledger, summary: K6Summary): Promise<string[]> {
  const created = summary.metrics.orders_created?.count ?? 0;
  const units = summary.metrics.units_ordered?.count ?? 0;
  const [{ orders }] = await db.query<{ orders: number }>(
    'SELECT count(*)::int AS orders FROM orders.orders WHERE id > $1',
    [before.lastOrderId],
  );
  const lines = await db.query<{ code: string; quantity: number }>(
    `SELECT l.code, sum(l.quantity)::int AS quantity FROM orders.order_lines l
       JOIN orders.orders o ON o.id = l.order_id WHERE o.id > $1 GROUP BY l.code`,
    [before.lastOrderId],
  );
  const ordered = new Map(lines.map((l) => [l.code, l.quantity]));
  const after = await ledger(db);
  const problems: string[] = [];
  if (created === 0) problems.push('k6 counted no order: there is nothing to reconcile');
  if (orders !== created) problems.push(`${orders} orders in PostgreSQL, k6 saw ${created} 201s`);
  const orderedUnits = lines.reduce((sum, l) => sum + l.quantity, 0);
  if (orderedUnits !== units)
    problems.push(`${orderedUnits} units on the new orders' lines, k6 ordered ${units}`);
  for (const [code, start] of before.stock) {
    const taken = start - (after.stock.get(code) ?? 0);
    if (taken !== (ordered.get(code) ?? 0))
      problems.push(`${code}: stock fell by ${taken}, orders hold ${ordered.get(code) ?? 0}`);
  }
  return problems;
}

async function main(): Promise<number> {
  const k6 = findK6();
  if (!k6) {
    console.error(`${K6_INSTALL_HINT}; or skip the load test on purpose with SKIP_LOAD=1`);
    return 1;
  }
  const db = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'k6-'));
  const app = await startAppProcess({
    ...appEnvOn(db),
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
      const file = join(dir, `${run.script.replace(/\W/g, '_')}.json`);
      const before = await ledger(db);
      const code = await runK6(k6, run, app.url, file);
      const summary = readSummary(file);
      const problems = summary
        ? await reconcile(db, before, summary)
        : ['no summary export to reconcile with'];
      const verdict = code !== 0 ? `FAIL (k6 exit ${code})` : problems.length ? 'FAIL' : 'PASS';
      if (verdict !== 'PASS') failed += 1;
      lines.push(`${verdict} ${summarize(run.script, summary)}`);
      for (const p of problems) lines.push(`  lost or extra writes: ${p}`);
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
