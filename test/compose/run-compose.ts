// `npm run test:compose`: compose.yml for real on whatever engine answers (or the stand-in
// engine beside the checkout), under the k6 order flow, then under four faults one at a time,
// then the checks; always `down -v` and stop an engine it started. Prints each stage's time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storefrontCheck } from './storefront';
import { findK6, K6_INSTALL_HINT, runK6, summarizeK6 } from '../load/k6';
import { lastErrorAfter, latencies } from '../topology/analysis';
import { EventQueue } from './broker';
import { runChecks } from './checks';
import { ComposeCluster } from './cluster';
import { Engine, ensureEngine, ensureStandInImages } from './engine';
import { describeFault, FaultOutcome, runFaults } from './faults';
import { baseImages, ComposeStack } from './stack';
import { deploymentTimings } from './timings';

/** Every product's stock before the load: a 409 for want of stock would be a failure here. */
const STOCK = 100_000;
// Few users: the whole stack shares the host's two cores with k6, and the thresholds hold latency.
const K6_RUN = { script: 'k6/order-flow.js', env: { VUS: '5', DURATION: '20s' } };

const stages: Array<[string, number]> = [];

async function stage<T>(name: string, step: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  console.log(`\n== ${name}`);
  try {
    return await step();
  } finally {
    stages.push([name, Date.now() - t0]);
    console.log(`== ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

async function main(): Promise<boolean> {
  const k6 = findK6();
  if (!k6) throw new Error(K6_INSTALL_HINT);
  const timings = deploymentTimings();
  const stack = new ComposeStack();
  const dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  let engine: Engine | undefined;
  let events: EventQueue | undefined;
  let ok = false;
  let cleaning: Promise<boolean> | undefined;
  /** Once, also on SIGINT/SIGTERM: the queue, `down -v`, an engine this run started. */
  const cleanUp = () =>
    (cleaning ??= (async () => {
      let clean = true;
      await events
        ?.delete()
        .catch((e: unknown) => console.error(`queue not deleted: ${String(e)}`));
      await stage('down -v', async () => {
        const left = await stack.down();
        if (left.length) throw new Error(`left behind: ${left.join('; ')}`);
      }).catch((e: unknown) => {
        clean = false;
        console.error(e);
      });
      if (engine) await stage('engine stop', () => engine!.stop()).catch(console.error);
      rmSync(dir, { recursive: true, force: true });
      return clean;
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(1));
    });
  }
  try {
    engine = await stage('engine', ensureEngine);
    console.log(engine.description);
    const built = await stage('stand-in images', () => ensureStandInImages(engine!, baseImages()));
    console.log(built.length ? `built ${built.join(', ')}` : 'none missing');
    await stage('app image', async () => {
      await stack.prepare();
      await stack.build();
    });
    await stage(`up (-p ${stack.project})`, () => stack.up());
    console.log(`nginx on ${stack.baseUrl}, RabbitMQ management on ${stack.managementUrl}`);
    const cluster = new ComposeCluster(stack);
    await stack.psql(`UPDATE inventory.stock SET quantity = ${STOCK}`);
    events = new EventQueue(stack);
    await events.bind();

    const k6Ok = await stage('k6 order flow (no faults)', async () => {
      const summary = join(dir, 'order-flow.json');
      const code = await runK6(k6, K6_RUN, stack.baseUrl, summary);
      console.log(
        `${code === 0 ? 'PASS' : `FAIL (k6 exit ${code})`} ${summarizeK6(K6_RUN.script, summary)}`,
      );
      return code === 0;
    });
    const outcome = await stage('faults under load', () => runFaults(stack, cluster, timings));
    console.log(report(outcome));
    const checks = await stage('checks', async () => [
      ...(await runChecks(stack, cluster, events!, outcome, STOCK)),
      await storefrontCheck(stack.baseUrl),
    ]);
    for (const c of checks) {
      console.log(`${c.problems.length === 0 ? 'ok  ' : 'FAIL'} ${c.name}`);
      for (const p of c.problems.slice(0, 20)) console.log(`       ${JSON.stringify(p)}`);
    }
    ok = k6Ok && checks.every((c) => c.problems.length === 0);
    if (!ok) console.log(`logs and request records: ${await dump(stack, outcome)}`);
  } catch (error) {
    console.error(error);
  } finally {
    if (!(await cleanUp())) ok = false;
  }
  const total = stages.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`\ntest:compose ${ok ? 'PASSED' : 'FAILED'}; stage times:`);
  for (const [name, ms] of [...stages, ['total', total] as [string, number]])
    console.log(`  ${name.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(7)} s`);
  return ok;
}

/** The apps' and nginx's logs and every request record, kept for digging after a failure. */
async function dump(stack: ComposeStack, outcome: FaultOutcome): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `${stack.project}-`));
  for (const service of stack.services(/^(app\d+|nginx)$/))
    writeFileSync(join(dir, `${service}.log`), await stack.logs(service));
  const { run, faults } = outcome;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ faults, records: run.records }));
  return dir;
}

function report({ run, summary, faults }: FaultOutcome): string {
  const statuses = Object.entries(summary.byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const lines = [
    `fault phase: ${run.users.length} users, ${Math.round(run.now() / 1000)} s, ${summary.total} requests (${statuses})`,
    `errors ${summary.errors} (${summary.errorPercent.toFixed(3)} %), outside windows ${summary.outsideWindows.length}, ` +
      `after the last window ${summary.afterWindows.total} requests / ${summary.afterWindows.failed} failed`,
    `orders placed (201) ${run.orders.length} (${run.orders.filter((o) => o.attempts > 1).length} after a retry), unresolved ${run.unresolved.length}`,
  ];
  for (const f of faults) {
    const span = f.window ?? { name: f.name, from: f.from, to: f.healedAt };
    const failed = run.records.filter(
      (r) => (r.status < 200 || r.status >= 300) && r.start <= span.to && r.end >= span.from,
    );
    const byStatus: Record<number, number> = {};
    for (const r of failed) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    lines.push(
      `${describeFault(f)}: ${failed.length} errors ${JSON.stringify(byStatus)}, ` +
        `last +${Math.round(lastErrorAfter(run.records, span))} ms`,
    );
  }
  lines.push(`p50/p95/max: ${latencies(run.records).join('; ')}`);
  return lines.join('\n');
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
