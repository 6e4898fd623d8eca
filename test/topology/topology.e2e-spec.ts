import { writeFileSync } from 'node:fs';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { sleep } from '../support/ports';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import {
  describeRecord,
  FailureWindow,
  lastErrorAfter,
  latencies,
  recoveryAfter,
  summarize,
  Summary,
  upstreamCounts,
} from './analysis';
import {
  CartLine,
  cartKey,
  LoadRun,
  linesOf,
  RequestRecord,
  SESSION_COOKIE,
  startLoad,
} from './driver';
import { NginxProcess, startNginx } from './nginx';

/**
 * The deployment in miniature: nginx round robin over 3 app processes, sessions in a 6-node
 * Redis Cluster, orders in Postgres. 30 users run the k6 order flow for a minute while one app
 * is SIGKILLed and later the Redis master holding a user's session dies. Afterwards no order is
 * lost or doubled, stock adds up, every cart is what its user last saw, and the only errors
 * are the proxy's or the app's "unavailable" during the failures.
 *
 * TOPOLOGY_DUMP=<file> writes every request record and the apps' logs there, for digging.
 */

const VUS = 30;
const DURATION_MS = 60_000;
const MAX_REQUESTS = 200_000;
const THINK_TIME_MS: [number, number] = [200, 400];
const APP_KILL_AT_MS = 15_000;
/** Which of the three apps is SIGKILLed (not the first: it ran the migrations). */
const KILLED_APP = 1;
const REDIS_KILL_AT_MS = 35_000;
/** Raised so the run cannot run out of stock: a 409 would be a legitimate, unwanted answer. */
const STOCK = 100_000;
/** nginx passes a refused connection to the next app at once: only in-flight requests fail. */
const APP_GRACE_MS = 3_000;
/** After the harness sees the failover done, apps learn the new owner on their next slots
 *  refresh (every 2 s, sooner on an error). */
const REDIS_GRACE_MS = 3_000;
const MAX_ERROR_PERCENT = 2;
const SESSION_KEY_PREFIX = 'spring:session:sessions:';

// Together within the 3 minutes this file may take; each bounds its own step.
const SETUP_TIMEOUT_MS = 45_000;
const RUN_TIMEOUT_MS = 85_000;
const CHECK_TIMEOUT_MS = 5_000;
const CLEANUP_TIMEOUT_MS = 30_000;

interface RedisKill {
  window: FailureWindow;
  killedPort: number;
  failoverMs: number;
  /** Users whose session lived on the killed master. */
  affected: Set<number>;
}

interface Outcome {
  run: LoadRun;
  windows: FailureWindow[];
  redisKill: RedisKill;
  summary: Summary;
  /** Each user's cart read back through nginx after the run (or what went wrong reading it). */
  cartsNow: Map<number, CartLine[] | string>;
}

describe('topology: nginx → 3 apps → Redis Cluster + Postgres under failures', () => {
  let db: TestDatabase | undefined;
  let cluster: RedisClusterHarness | undefined;
  const apps: AppProcess[] = [];
  let nginx: NginxProcess | undefined;
  let outcome: Outcome | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startRedisCluster();
    const env = {
      DATABASE_URL: db.url,
      REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
      SESSION_DURABLE_REPLICAS: '1',
      SESSION_DURABLE_TIMEOUT_MS: '200',
      SESSION_NEW_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100000',
    };
    // The first one migrates; the others find the schema in place.
    apps.push(await startAppProcess(env));
    await db.query('UPDATE inventory.stock SET quantity = $1', [STOCK]);
    const others = await Promise.allSettled([startAppProcess(env), startAppProcess(env)]);
    for (const o of others) if (o.status === 'fulfilled') apps.push(o.value);
    for (const o of others) if (o.status === 'rejected') throw o.reason;
    nginx = await startNginx(apps.map(portOf));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    const failures: unknown[] = [];
    const attempt = (step: () => Promise<unknown> | undefined) =>
      Promise.resolve()
        .then(step)
        .catch((e: unknown) => failures.push(e));
    await attempt(() => nginx?.stop());
    await attempt(() => Promise.all(apps.map((a) => a.stop(5_000))));
    await attempt(() => cluster?.stop());
    await attempt(() => db?.drop());
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  }, CLEANUP_TIMEOUT_MS);

  it(
    'serves the order flow while an app and a Redis master are killed',
    async () => {
      outcome = await runScenario(nginx!, apps, cluster!);
      console.log(report(outcome, nginx!));
      if (process.env.TOPOLOGY_DUMP) dump(process.env.TOPOLOGY_DUMP, outcome, apps);

      // Carts, sessions and orders as each user's own requests imply them, at every step.
      expect(outcome.run.anomalies).toEqual([]);
      // The survivors are still up, and round robin reached every app.
      expect(apps.filter((a, i) => i !== KILLED_APP && !running(a)).map((a) => a.url)).toEqual([]);
      const served = upstreamCounts(nginx!.accessLog());
      expect(apps.filter((a) => !(served[`127.0.0.1:${portOf(a)}`] > 0)).map(portOf)).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'records every acknowledged order exactly once, with the cart it consumed',
    async () => {
      const { run } = need(outcome);
      const rows = await db!.query<{ number: string; key: string; n: number; lines: CartLine[] }>(
        `SELECT o.order_number::text AS number, o.idempotency_key AS key,
                count(*) OVER (PARTITION BY o.order_number)::int AS n,
                (SELECT json_agg(json_build_object('code', l.code, 'quantity', l.quantity))
                   FROM orders.order_lines l WHERE l.order_id = o.id) AS lines
           FROM orders.orders o`,
      );
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const acked = new Set(run.orders.map((o) => o.orderNumber));

      const wrong = run.orders
        .map((o) => ({ order: o, row: byKey.get(o.idempotencyKey) }))
        .filter(
          ({ order, row }) =>
            row?.number !== order.orderNumber ||
            row.n !== 1 ||
            cartKey(row.lines ?? []) !== cartKey(order.lines),
        )
        .map(({ order, row }) => ({ acknowledged: order, stored: row }));
      expect(wrong).toEqual([]);
      // An order none of whose attempts was acknowledged may exist: then with its cart.
      const placedUnacked = run.unresolved.filter((u) => byKey.has(u.idempotencyKey));
      expect(
        placedUnacked.filter(
          (u) => cartKey(byKey.get(u.idempotencyKey)!.lines) !== cartKey(u.lines),
        ),
      ).toEqual([]);
      // Nothing else: no order without a key this run sent, none placed twice.
      expect(rows.length).toBe(acked.size + placedUnacked.length);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'conserves stock: set quantity = stock now + everything ordered, per product',
    async () => {
      need(outcome);
      const stock = await db!.query<{ code: string; now: number; ordered: number }>(
        `SELECT s.product_code AS code, s.quantity AS now,
                coalesce((SELECT sum(l.quantity) FROM orders.order_lines l
                           WHERE l.code = s.product_code), 0)::int AS ordered
           FROM inventory.stock s ORDER BY s.product_code`,
      );
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
      const mismatches = run.users
        .map((u) => {
          const now = cartsNow.get(u.id);
          return {
            vu: u.id,
            expected: u.cart ? cartKey(u.cart) : 'unknown: never re-read after a failed write',
            actual: typeof now === 'string' || now === undefined ? String(now) : cartKey(now),
          };
        })
        .filter((m) => m.expected !== m.actual);
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

const portOf = (app: AppProcess) => Number(new URL(app.url).port);
const running = (app: AppProcess) => app.proc.exitCode === null && app.proc.signalCode === null;

function need(outcome: Outcome | undefined): Outcome {
  if (!outcome) throw new Error('the load run did not complete; see the first test');
  return outcome;
}

async function runScenario(
  nginx: NginxProcess,
  apps: AppProcess[],
  cluster: RedisClusterHarness,
): Promise<Outcome> {
  const run = startLoad({
    baseUrl: nginx.url,
    vus: VUS,
    durationMs: DURATION_MS,
    maxRequests: MAX_REQUESTS,
    thinkTimeMs: THINK_TIME_MS,
  });
  const windows: FailureWindow[] = [];
  let redisKill: RedisKill;
  try {
    await sleepUntil(run, APP_KILL_AT_MS);
    windows.push(await killApp(run, apps[KILLED_APP]));
    redisKill = await killSessionMaster(run, cluster);
    windows.push(redisKill.window);
    await run.done;
  } finally {
    // Also on failure: no user may keep sending once the test has given up.
    await run.stop();
  }
  const cartsNow = await readCarts(run, nginx.url);
  return { run, windows, redisKill, summary: summarize(run.records, windows), cartsNow };
}

async function sleepUntil(run: LoadRun, at: number): Promise<void> {
  const wait = at - run.now();
  if (wait > 0) await sleep(wait);
}

/** SIGKILL, as a crash: no graceful shutdown, in-flight requests cut off. */
async function killApp(run: LoadRun, app: AppProcess): Promise<FailureWindow> {
  const exited = new Promise<void>((resolve) => app.proc.once('exit', () => resolve()));
  const from = run.now();
  app.proc.kill('SIGKILL');
  await exited;
  return { name: 'app SIGKILL', from, to: from + APP_GRACE_MS };
}

/**
 * Kills the Redis master holding the first user's session. Which users share that master is
 * asked beforehand (a couple of seconds early, so the kill itself happens on time).
 */
async function killSessionMaster(run: LoadRun, cluster: RedisClusterHarness): Promise<RedisKill> {
  await sleepUntil(run, REDIS_KILL_AT_MS - 2_000);
  const withSession = run.users.filter((u) => u.sessionId !== undefined);
  if (withSession.length === 0) throw new Error('no user has a session to fail over');
  const victimKey = SESSION_KEY_PREFIX + withSession[0].sessionId!;
  const victimPort = await cluster.masterFor(victimKey);
  const affected = new Set<number>();
  for (const u of withSession) {
    if ((await cluster.masterFor(SESSION_KEY_PREFIX + u.sessionId!)) === victimPort) {
      affected.add(u.id);
    }
  }
  await sleepUntil(run, REDIS_KILL_AT_MS);
  const from = run.now();
  const { killedPort, failoverMs } = await cluster.killMasterFor(victimKey);
  const window = { name: 'Redis master SIGKILL', from, to: run.now() + REDIS_GRACE_MS };
  return { window, killedPort, failoverMs, affected };
}

/** Session requests (all but the catalog) of users whose session lived on the killed master. */
const onKilledMaster = (kill: RedisKill) => (r: RequestRecord) =>
  kill.affected.has(r.vu) && r.route !== 'GET /api/products';

/** Each user's cart through nginx with its cookie, as the user would see it now. */
async function readCarts(run: LoadRun, baseUrl: string): Promise<Map<number, CartLine[] | string>> {
  const read = async (sessionId: string | undefined): Promise<CartLine[] | string> => {
    try {
      const res = await fetch(`${baseUrl}/api/cart`, {
        headers: sessionId ? { Cookie: `${SESSION_COOKIE}=${sessionId}` } : {},
        signal: AbortSignal.timeout(5_000),
      });
      const body: unknown = await res.json().catch(() => undefined);
      return linesOf(body) ?? `HTTP ${res.status}`;
    } catch (error) {
      return String(error);
    }
  };
  const carts = await Promise.all(run.users.map((u) => read(u.sessionId)));
  return new Map(run.users.map((u, i) => [u.id, carts[i]]));
}

function report(outcome: Outcome, nginx: NginxProcess): string {
  const { run, summary, windows, redisKill } = outcome;
  const [appWindow] = windows;
  const recovery = recoveryAfter(run.records, redisKill.window.from, onKilledMaster(redisKill));
  const recovered = !recovery.outage
    ? 'no outage seen'
    : recovery.recoveredMs === undefined
      ? 'never'
      : `+${ms(recovery.recoveredMs)}`;
  const retried = run.orders.filter((o) => o.attempts > 1).length;
  const statuses = Object.entries(summary.byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const upstreams = Object.entries(upstreamCounts(nginx.accessLog()))
    .map(([addr, n]) => `${addr} ${n}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['users / duration', `${VUS} VUs, ${Math.round(run.now() / 1000)} s`],
    ['requests', String(summary.total)],
    ['by status', statuses],
    ['errors', `${summary.errors} (${summary.errorPercent.toFixed(3)} %)`],
    ['errors outside windows', String(summary.outsideWindows.length)],
    [
      'after last window',
      `${summary.afterWindows.total} requests, ${summary.afterWindows.failed} failed`,
    ],
    ['orders placed (201)', `${run.orders.length} (${retried} after a retry)`],
    ['orders unresolved', String(run.unresolved.length)],
    [
      'app kill',
      `at ${ms(appWindow.from)}, last error +${ms(lastErrorAfter(run.records, appWindow))}`,
    ],
    [
      'Redis master kill',
      `at ${ms(redisKill.window.from)}, port ${redisKill.killedPort}, ` +
        `replica promoted after ${ms(redisKill.failoverMs)}`,
    ],
    [
      'Redis recovery',
      `sessions on it served again ${recovered}, ` +
        `last error +${ms(lastErrorAfter(run.records, redisKill.window))} ` +
        `(${redisKill.affected.size} users on that master)`,
    ],
    ['upstreams', upstreams],
    ['p50/p95/max', latencies(run.records).join('; ')],
    ['anomalies', String(run.anomalies.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['topology run', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

const ms = (n: number) => `${Math.round(n)} ms`;

function dump(file: string, outcome: Outcome, apps: AppProcess[]): void {
  const { run, windows, redisKill } = outcome;
  const data = {
    windows,
    redisKill: { ...redisKill, affected: [...redisKill.affected] },
    anomalies: run.anomalies,
    orders: run.orders,
    unresolved: run.unresolved,
    records: run.records,
    appLogs: apps.map((a) => a.output()),
  };
  writeFileSync(file, JSON.stringify(data));
}
