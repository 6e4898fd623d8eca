import type { AppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import {
  describeRecord,
  FailureWindow,
  firstSuccessAfter,
  lastErrorAfter,
  summarize,
  Summary,
  upstreamCounts,
} from './analysis';
import { CartLine, cartKey, LoadRun, linesOf, SESSION_COOKIE, startLoad } from './driver';
import { NginxProcess, startNginx } from './nginx';
import { sleep } from './ports';
import { startQuietApp } from './quiet-app';

/**
 * The deployment in miniature: nginx round robin over 3 app processes, sessions in a 6-node
 * Redis Cluster, orders in Postgres. 30 users run the k6 order flow for a minute while one app
 * is SIGKILLed and later the Redis master holding a user's session dies. Afterwards no order is
 * lost or doubled, stock adds up, every cart is what its user last saw, and the only errors
 * are the proxy's or the app's "unavailable" during the failures.
 */

const VUS = 30;
const DURATION_MS = 60_000;
const MAX_REQUESTS = 200_000;
const APP_KILL_AT_MS = 15_000;
const REDIS_KILL_AT_MS = 35_000;
/** Raised so the run cannot run out of stock: a 409 would be a legitimate, unwanted answer. */
const STOCK = 100_000;
/** nginx passes a refused connection to the next app at once: only in-flight requests fail. */
const APP_GRACE_MS = 3_000;
/** After the harness sees the failover done, apps learn the new owner on their next slots
 *  refresh (every 2 s, sooner on an error). */
const REDIS_GRACE_MS = 3_000;
const MAX_ERROR_PERCENT = 2;

// Together well under jest's 3-minute budget for this file; each bounds its own step.
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
  /** Each user's cart read back through nginx after the run. */
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
    apps.push(await startQuietApp(env));
    await db.query('UPDATE inventory.stock SET quantity = $1', [STOCK]);
    const others = await Promise.allSettled([startQuietApp(env), startQuietApp(env)]);
    for (const o of others) if (o.status === 'fulfilled') apps.push(o.value);
    for (const o of others) if (o.status === 'rejected') throw o.reason;
    nginx = await startNginx(apps.map((a) => Number(new URL(a.url).port)));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown> | undefined) => {
      await Promise.resolve(step()).catch((e: unknown) => failures.push(e));
    };
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
      expect(outcome.run.anomalies).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'records every acknowledged order exactly once, with the cart it consumed',
    async () => {
      const { run } = need(outcome);
      const rows = await db!.query<{ number: string; key: string; lines: CartLine[] }>(
        `SELECT o.order_number::text AS number, o.idempotency_key AS key,
                json_agg(json_build_object('code', l.code, 'quantity', l.quantity)) AS lines
           FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
          GROUP BY o.id`,
      );
      const counts = await db!.query<{ number: string; n: number }>(
        `SELECT order_number::text AS number, count(*)::int AS n
           FROM orders.orders GROUP BY order_number`,
      );
      const countOf = new Map(counts.map((c) => [c.number, c.n]));
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const acked = new Set(run.orders.map((o) => o.orderNumber));

      expect(run.orders.filter((o) => countOf.get(o.orderNumber) !== 1)).toEqual([]);
      // An order no attempt of which was acknowledged may exist; it then counts as placed.
      const placedUnacked = run.unresolved.filter((u) => byKey.has(u.idempotencyKey));
      expect(rows.length).toBe(acked.size + placedUnacked.length);
      for (const o of run.orders) {
        expect({ key: byKey.get(o.idempotencyKey)?.number, lines: cartKey(o.lines) }).toEqual({
          key: o.orderNumber,
          lines: cartKey(byKey.get(o.idempotencyKey)?.lines ?? []),
        });
      }
      for (const u of placedUnacked) {
        expect(cartKey(byKey.get(u.idempotencyKey)!.lines)).toBe(cartKey(u.lines));
      }
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
          const expected = u.cart ? cartKey(u.cart) : 'unknown (never re-read)';
          const actual = typeof now === 'string' ? now : cartKey(now ?? []);
          return { vu: u.id, expected, actual };
        })
        .filter((m) => m.expected !== m.actual);
      expect(mismatches).toEqual([]);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'fails only inside the failure windows, only as 502/503/no answer, ≤ 2 % in all',
    () => {
      const { summary, windows, redisKill } = need(outcome);
      expect(summary.untolerated.map(describeRecord)).toEqual([]);
      expect(summary.outsideWindows.map(describeRecord)).toEqual([]);
      expect(summary.errorPercent).toBeLessThanOrEqual(MAX_ERROR_PERCENT);
      expect(summary.afterWindows.total).toBeGreaterThan(0);
      expect(summary.afterWindows.failed).toBe(0);
      // Sessions on the killed master come back: some of those users were served afterwards.
      const { run } = need(outcome);
      const recovered = firstSuccessAfter(
        run.records,
        redisKill.window.from,
        (r) => redisKill.affected.has(r.vu) && r.route !== 'GET /api/products',
      );
      expect(recovered).toBeDefined();
      expect(windows).toHaveLength(2);
    },
    CHECK_TIMEOUT_MS,
  );
});

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
  });
  const windows: FailureWindow[] = [];
  let redisKill: RedisKill;
  try {
    await sleepUntil(run, APP_KILL_AT_MS);
    windows.push(await killApp(run, apps[1]));
    await sleepUntil(run, REDIS_KILL_AT_MS - 2_000);
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

/** Kills the Redis master holding user 0's session (or the first user that has one). */
async function killSessionMaster(run: LoadRun, cluster: RedisClusterHarness): Promise<RedisKill> {
  const withSession = run.users.filter((u) => u.sessionId !== undefined);
  if (withSession.length === 0) throw new Error('no user has a session to fail over');
  const key = (id: string) => `spring:session:sessions:${id}`;
  const victimKey = key(withSession[0].sessionId!);
  const victimPort = await cluster.masterFor(victimKey);
  const affected = new Set<number>();
  for (const u of withSession) {
    if ((await cluster.masterFor(key(u.sessionId!))) === victimPort) affected.add(u.id);
  }
  await sleepUntil(run, REDIS_KILL_AT_MS);
  const from = run.now();
  const { killedPort, failoverMs } = await cluster.killMasterFor(victimKey);
  const window = { name: 'Redis master SIGKILL', from, to: run.now() + REDIS_GRACE_MS };
  return { window, killedPort, failoverMs, affected };
}

/** Each user's cart through nginx with its cookie, as the user would see it now. */
async function readCarts(run: LoadRun, baseUrl: string): Promise<Map<number, CartLine[] | string>> {
  const carts = new Map<number, CartLine[] | string>();
  for (const user of run.users) {
    const res = await fetch(`${baseUrl}/api/cart`, {
      headers: user.sessionId ? { Cookie: `${SESSION_COOKIE}=${user.sessionId}` } : {},
      signal: AbortSignal.timeout(5_000),
    });
    const body: unknown = await res.json().catch(() => undefined);
    carts.set(user.id, linesOf(body) ?? `HTTP ${res.status}`);
  }
  return carts;
}

function report(outcome: Outcome, nginx: NginxProcess): string {
  const { run, summary, windows, redisKill } = outcome;
  const [appWindow] = windows;
  const affectedSession = (r: { vu: number; route: string }) =>
    redisKill.affected.has(r.vu) && r.route !== 'GET /api/products';
  const recovered = firstSuccessAfter(run.records, redisKill.window.from, affectedSession);
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
      `at ${ms(redisKill.window.from)}, port ${redisKill.killedPort}, failover ${ms(redisKill.failoverMs)}`,
    ],
    [
      'Redis recovery',
      `first 2xx of an affected session +${recovered === undefined ? '–' : ms(recovered)}, ` +
        `last error +${ms(lastErrorAfter(run.records, redisKill.window))} ` +
        `(${redisKill.affected.size} users on that master)`,
    ],
    ['upstreams', upstreams],
    ['anomalies', String(run.anomalies.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['topology run', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

const ms = (n: number) => `${Math.round(n)} ms`;
