import { describeRecord, recoveryAfter, upstreamCounts } from './analysis';
import { cartMismatches, orderProblems, stockSql, StoredOrder, storedOrdersSql } from './checks';
import { Deployment, portOf, running } from './deployment';
import { dump, report } from './report';
import { KILLED_APP, onKilledMaster, Outcome, runScenario } from './scenario';

/**
 * The deployment in miniature (deployment.ts) under the failure scenario (scenario.ts): nginx
 * round robin over 3 app processes, sessions in a 6-node Redis Cluster, orders in Postgres; 30
 * users run the k6 order flow for a minute while one app is SIGKILLed and later the Redis master
 * holding a user's session dies. Afterwards no order is lost or doubled, stock adds up, every
 * cart is what its user last saw, and the only errors are the proxy's or the app's
 * "unavailable" during the failures.
 *
 * TOPOLOGY_DUMP=<file> writes every request record and the apps' logs there, for digging.
 */

/** Raised so the run cannot run out of stock: a 409 would be a legitimate, unwanted answer. */
const STOCK = 100_000;
const MAX_ERROR_PERCENT = 2;

// Each bounds its own step, generously: CI may share the two cores with other work.
const SETUP_TIMEOUT_MS = 240_000;
const RUN_TIMEOUT_MS = 180_000;
const CHECK_TIMEOUT_MS = 60_000;
const CLEANUP_TIMEOUT_MS = 60_000;

describe('topology: nginx → 3 apps → Redis Cluster + Postgres under failures', () => {
  const deployment = new Deployment();
  const { apps } = deployment;
  const db = () => deployment.db!;
  let outcome: Outcome | undefined;

  beforeAll(() => deployment.start(STOCK), SETUP_TIMEOUT_MS);
  afterAll(() => deployment.stop(), CLEANUP_TIMEOUT_MS);

  it(
    'serves the storefront at / through nginx, its bundle included',
    async () => {
      const get = (path: string) =>
        fetch(`${deployment.nginx!.url}${path}`, { signal: AbortSignal.timeout(10_000) });
      const page = await get('/');
      expect(page.status).toBe(200);
      const bundle = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      expect(bundle).toBeDefined();
      const script = await get(bundle!);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'serves the order flow while an app and a Redis master are killed',
    async () => {
      outcome = await runScenario(deployment.nginx!, apps, deployment.cluster!);
      console.log(report(outcome, deployment.nginx!));
      if (process.env.TOPOLOGY_DUMP) dump(process.env.TOPOLOGY_DUMP, outcome, apps);

      // Carts, sessions and orders as each user's own requests imply them, at every step.
      expect(outcome.run.anomalies).toEqual([]);
      // The survivors are still up, and round robin reached every app.
      expect(apps.filter((a, i) => i !== KILLED_APP && !running(a)).map((a) => a.url)).toEqual([]);
      const served = upstreamCounts(deployment.nginx!.accessLog());
      expect(apps.filter((a) => !(served[`127.0.0.1:${portOf(a)}`] > 0)).map(portOf)).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'records every acknowledged order exactly once, with the cart it consumed',
    async () => {
      const { run } = need(outcome);
      const rows = await db().query<StoredOrder>(storedOrdersSql());
      expect(orderProblems(run, rows)).toEqual([]);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'conserves stock: set quantity = stock now + everything ordered, per product',
    async () => {
      need(outcome);
      const stock = await db().query<{ code: string; now: number; ordered: number }>(stockSql);
      expect(stock).toHaveLength(15);
      expect(stock.filter((s) => s.now + s.ordered !== STOCK)).toEqual([]);
      expect(stock.some((s) => s.ordered > 0)).toBe(true);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    "keeps every user's cart: read back now, it is the last one the user saw acknowledged",
    () => {
      const { run, cartsNow } = need(outcome);
      expect(run.users.filter((u) => u.sessionId === undefined).map((u) => u.id)).toEqual([]);
      const mismatches = cartMismatches(run, cartsNow);
      expect(mismatches).toEqual([]);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'fails only inside the failure windows, only as 502/503/no answer, ≤ 2 % in all',
    () => {
      const { summary, run, redisKill } = need(outcome);
      expect(summary.untolerated.map(describeRecord)).toEqual([]);
      expect(summary.outsideWindows.map(describeRecord)).toEqual([]);
      expect(summary.errorPercent).toBeLessThanOrEqual(MAX_ERROR_PERCENT);
      // Past the last window, everything succeeds, and there was traffic to prove it.
      expect(summary.afterWindows.total).toBeGreaterThan(0);
      expect(summary.afterWindows.failed).toBe(0);
      // Users whose session was on the killed master were served again after the failover.
      const recovery = recoveryAfter(run.records, redisKill.window.from, onKilledMaster(redisKill));
      if (recovery.outage) expect(recovery.recoveredMs).toBeDefined();
    },
    CHECK_TIMEOUT_MS,
  );
});

function need(outcome: Outcome | undefined): Outcome {
  if (!outcome) throw new Error('the load run did not complete; see the first test');
  return outcome;
}
