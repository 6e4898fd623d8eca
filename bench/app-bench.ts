// Whole-app benchmark: `npm run bench`. Runs the built app (dist/main.js, all its middleware,
// LOG_LEVEL=info) as a child process on the local PostgreSQL (a throw-away database, dropped at
// the end) and Redis (its own SESSION_NAMESPACE, keys removed at the end), then drives each route
// with autocannon, one route at a time: every route warmed up, then BENCH_ROUNDS rounds that take
// the routes in turn (medians over rounds: a burst of outside load hits every route alike). Prints
// the markdown table and writes it between the app-bench markers of docs/benchmarks.md. A script,
// not a test: targets are reported as PASS/MISS, never fail the run. Knobs: BENCH_SECONDS (5 per
// round), BENCH_ROUNDS (3), BENCH_WARMUP_SECONDS (5 per route: V8 needs ~10 s under load to settle
// a hot path), BENCH_CONNECTIONS (50), BENCH_PROFILE=1 (CPU profiles of /health/live and the cart write).
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, startAppProcess } from '../test/support/app-process';
import { BENCH_NODE_FLAGS, cpuOf, deleteKeys, procMemMb, profileAreas, runBounded, sleep } from './app-bench-support';
import { orderSqlBaseline, Throughput } from './order-sql-baseline';
import { createTestDatabase, TestDatabase } from '../test/support/database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NS = `bench:${randomBytes(4).toString('hex')}`; // every Redis key of this run starts with it
const DOC = join(__dirname, '../docs/benchmarks.md');
const MARKERS = ['<!-- app-bench:start -->', '<!-- app-bench:end -->'];
const JSON_HEADERS = { 'content-type': 'application/json' };
const ORDER = JSON.stringify({
  customer: { name: 'Bench', email: 'bench@example.com', phone: '123' },
  deliveryAddress: '1 Bench Street',
});

type Req = autocannon.Request;
interface Route {
  name: string;
  /** Requests connection `i` sends in turn, given its session cookie ('' without a session). */
  requests: (cookie: string, i: number) => Req[];
  /** The sessions it uses: the cart route's keep their P101 line; the order flow's are its own. */
  session?: 'cart' | 'order';
}
type Cookies = Record<'cart' | 'order', string[]>;
interface Measured extends Route {
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  rssMb: number;
  bad: number;
}

const productOf = (i: number) => `P${100 + (i % 15)}`; // the 15 seeded books
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const get = (path: string): Req => ({ method: 'GET', path });
const withCookie = (cookie: string, reqs: Req[]) =>
  reqs.map((r) => ({ ...r, headers: { ...JSON_HEADERS, ...r.headers, cookie } }));
const ROUTES: Route[] = [
  { name: 'GET /health/live', requests: () => [get('/health/live')] },
  { name: 'GET /api/products/P100', requests: () => [get('/api/products/P100')] },
  { name: 'GET /api/products?page=2', requests: () => [get('/api/products?page=2')] },
  { name: 'GET /api/cart (session)', session: 'cart', requests: (c) => withCookie(c, [get('/api/cart')]) },
  {
    name: 'PUT /api/cart/items/P101 (session)',
    session: 'cart',
    // Quantities alternate so that every request changes the cart and saves the session.
    requests: (c) =>
      withCookie(c, [1, 2].map((q) => ({ method: 'PUT', path: '/api/cart/items/P101', body: JSON.stringify({ quantity: q }) }))),
  },
  {
    name: 'order flow: POST /api/cart/items + POST /api/orders (session, 15 products)',
    session: 'order',
    // Connection i orders product i mod 15: all on one product would measure its row lock.
    requests: (c, i) =>
      withCookie(c, [
        { method: 'POST', path: '/api/cart/items', body: JSON.stringify({ code: productOf(i), quantity: 1 }) },
        { method: 'POST', path: '/api/orders', body: ORDER },
      ]),
  },
];


/** One session per connection, each with a cart line for `codeOf(connection)`. */
async function seedSessions(url: string, codeOf: (i: number) => string): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const res = await fetch(`${url}/api/cart/items`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ code: codeOf(i), quantity: 1 }) });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('BOOKSTORE_SESSION='));
    if (res.status !== 201 || !cookie) throw new Error(`no session from POST /api/cart/items (${res.status})`);
    cookies.push(cookie.split(';')[0]);
  }
  return cookies;
}

function cannon(url: string, route: Route, cookies: Cookies, seconds: number): Promise<autocannon.Result> {
  let next = 0; // setupClient runs once per connection: connection i uses session i throughout
  const setupClient = (client: autocannon.Client) => {
    const i = next++ % CONNECTIONS;
    client.setRequests(route.requests(route.session ? cookies[route.session][i] : '', i));
  };
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: route.requests('', 0), setupClient });
}

interface Round { rps: number; p50: number; p99: number; cpu: number; requests: number; bad: number }

async function measureRound(app: AppProcess, route: Route, cookies: Cookies): Promise<Round> {
  await sleep(300); // in-flight requests of the previous run finish before the baseline
  const pid = app.proc.pid!;
  const cpu = cpuOf(pid);
  const r = await cannon(app.url, route, cookies, SECONDS);
  await sleep(300);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu: cpuOf(pid) - cpu, requests: r.requests.total, bad: r.non2xx + r.errors + r.timeouts };
}

/** Medians of the rounds; CPU per request over all of them. */
function summarize(app: AppProcess, route: Route, rounds: Round[]): Measured {
  const sum = (f: (r: Round) => number) => rounds.reduce((n, r) => n + f(r), 0);
  return {
    ...route,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuUs: sum((r) => r.cpu) / sum((r) => r.requests),
    rssMb: procMemMb(app.proc.pid!, 'VmRSS'),
    bad: sum((r) => r.bad),
  };
}

/**
 * BENCH_PROFILE=1: one more SECONDS-long run of `/health/live` and of the cart write, each under
 * the CPU profiler (bench/profile-on-signal.js), and the difference per request by area.
 */
async function profileCartWrite(app: AppProcess, cookies: Cookies, file: string): Promise<string[]> {
  const requests: number[] = [];
  for (const [n, route] of [ROUTES[0], ROUTES[4]].entries()) {
    process.kill(app.proc.pid!, 'SIGUSR2');
    requests.push((await cannon(app.url, route, cookies, SECONDS)).requests.total);
    process.kill(app.proc.pid!, 'SIGUSR2');
    for (let waited = 0; !existsSync(`${file}.${n}.cpuprofile`); waited += 100) {
      if (waited > 30_000) throw new Error(`no CPU profile in ${file}.${n}.cpuprofile after 30 s`);
      await sleep(100);
    }
  }
  const [live, write] = [0, 1].map((n) => profileAreas(`${file}.${n}.cpuprofile`, requests[n]));
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const rows = [...new Set([...live.keys(), ...write.keys()])]
    .map((area) => [area, live.get(area) ?? 0, write.get(area) ?? 0] as const)
    .sort((a, b) => b[2] - b[1] - (a[2] - a[1]));
  return [
    `CPU profiles (${SECONDS} s each, after the measured rounds; the profiler adds its own cost): ${file}.{0,1}.cpuprofile. Where the cart write's CPU goes beyond \`/health/live\`'s, per request:`,
    '',
    '| area | `/health/live` µs/req | cart write µs/req | difference |',
    '|---|---|---|---|',
    ...rows.filter(([, l, w]) => Math.abs(w - l) >= 1).map(([a, l, w]) => `| ${a} | ${l.toFixed(1)} | ${w.toFixed(1)} | ${(w - l >= 0 ? '+' : '') + (w - l).toFixed(1)} |`),
    `| all (busy time) | ${total(live).toFixed(1)} | ${total(write).toFixed(1)} | +${(total(write) - total(live)).toFixed(1)} |`,
  ];
}

function report(rows: Measured[], peakMb: number, baselines: Throughput[], profile: string[]): string {
  const [live, product, , , write, order] = rows;
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)} ×`;
  const out = [
    `${CONNECTIONS} connections; every route warmed up ${WARMUP} s, then ${ROUNDS} rounds of ${SECONDS} s that take the routes in turn (medians of the rounds; CPU per request over all of them); node ${BENCH_NODE_FLAGS.join(' ') || '(no flags)'}; × live: against \`/health/live\`; ${cpus().length} cores (${cpus()[0].model}), Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC`,
    '',
    '| route | req/s | × live | p50 ms | p99 ms | server CPU µs/req | × live | RSS MB | non-2xx/errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((m) => `| ${m.name} | ${m.rps.toFixed(0)} | ${ratio(m.rps, live.rps)} | ${m.p50} | ${m.p99} | ${m.cpuUs.toFixed(0)} | ${ratio(m.cpuUs, live.cpuUs)} | ${m.rssMb.toFixed(0)} | ${m.bad} |`),
    '',
    `Peak RSS of the app process (VmHWM): ${peakMb.toFixed(0)} MB.`,
    '',
    '| target | measured | result |',
    '|---|---|---|',
  ];
  // Each iteration of the order flow is two requests: one add to cart, one order.
  const appOrders = order.rps / 2;
  const [sql50] = baselines;
  out.splice(out.length - 3, 0,
    `The order flow against its database's limit: the order transaction's own SQL (start, stock, order with its lines, outbox row, commit: five round trips; bench/order-sql-baseline.ts) sent straight to the same PostgreSQL with node-postgres, by ${baselines.map((b) => b.clients).join(' and ')} clients, each ${SECONDS} s after ${WARMUP} s of warm-up, with the app stopped.`,
    '',
    '| order flow | clients | orders/s | × SQL baseline (50) | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|',
    `| app: add to cart + order (latency per request) | ${CONNECTIONS} | ${appOrders.toFixed(0)} | ${ratio(appOrders, sql50.ordersPerSecond)} | ${order.p50} | ${order.p99} |`,
    ...baselines.map((b) => `| SQL baseline: the order transaction alone | ${b.clients} | ${b.ordersPerSecond.toFixed(0)} | ${ratio(b.ordersPerSecond, sql50.ordersPerSecond)} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} |`),
    '',
  );
  const check = (label: string, pass: boolean, detail: string) => out.push(`| ${label} | ${detail} | ${pass ? 'PASS' : 'MISS'} |`);
  check('app orders/s ≥ 0.7 × SQL baseline (50 clients)', appOrders >= 0.7 * sql50.ordersPerSecond, ratio(appOrders, sql50.ordersPerSecond));
  check('`GET /api/products/P100` ≥ 0.9 × `/health/live` req/s', product.rps >= 0.9 * live.rps, ratio(product.rps, live.rps));
  check('cart write ≥ 0.8 × `/health/live` req/s', write.rps >= 0.8 * live.rps, ratio(write.rps, live.rps));
  check('cart write server CPU ≤ 1.25 × `/health/live`', write.cpuUs <= 1.25 * live.cpuUs, `${ratio(write.cpuUs, live.cpuUs)} (${write.cpuUs.toFixed(0)} vs ${live.cpuUs.toFixed(0)} µs/req)`);
  check(`order flow p99 < 50 ms at ${CONNECTIONS} connections`, order.p99 < 50, `${order.p99} ms`);
  check('every request answered 2xx', rows.every((m) => m.bad === 0), `${rows.reduce((n, m) => n + m.bad, 0)} not`);
  if (profile.length > 0) out.push('', ...profile);
  return out.join('\n');
}

function writeDoc(table: string): void {
  const doc = readFileSync(DOC, 'utf8');
  const [start, end] = MARKERS.map((m) => doc.indexOf(m));
  if (start < 0 || end < start) return console.error(`${DOC} has no ${MARKERS[0]} section: not written`);
  writeFileSync(DOC, `${doc.slice(0, start + MARKERS[0].length)}\n${table}\n${doc.slice(end)}`);
  console.error(`written to ${DOC}`);
}

let db: TestDatabase | undefined;
let app: AppProcess | undefined;

async function main(): Promise<void> {
  const profileFile = process.env.BENCH_PROFILE === '1' ? join(mkdtempSync(join(tmpdir(), 'app-prof-')), 'app') : undefined;
  db = await createTestDatabase();
  app = await startAppProcess({
    DATABASE_URL: db.url,
    REDIS_URL,
    SESSION_NAMESPACE: NS,
    SESSION_KEYSPACE_EVENTS: 'off', // no CONFIG SET on a shared Redis
    SESSION_NEW_PER_MINUTE: '0', // all sessions come from one address here
    DEMO_USERS: 'false',
    NODE_ENV: 'production',
    // Passed on, to compare: e.g. CATALOG_CACHE_TTL=0 npm run bench (no catalog cache).
    ...(process.env.CATALOG_CACHE_TTL ? { CATALOG_CACHE_TTL: process.env.CATALOG_CACHE_TTL } : {}),
    ...(profileFile ? { NODE_OPTIONS: `--require ${join(__dirname, 'profile-on-signal.js')}`, BENCH_PROFILE_FILE: profileFile } : {}),
  }, 90_000, BENCH_NODE_FLAGS);
  // Enough stock for every order the flow can place in its run.
  await db.query('UPDATE inventory.stock SET quantity = 100000000');
  const cookies = { cart: await seedSessions(app.url, () => 'P101'), order: await seedSessions(app.url, productOf) };
  console.error(`app pid ${app.proc.pid} on ${app.url}, namespace ${NS}`);
  // Every route first runs once unmeasured, so that the JIT has seen every code path.
  for (const route of ROUTES) await cannon(app.url, route, cookies, WARMUP);
  const rounds = ROUTES.map((): Round[] => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, route] of ROUTES.entries()) {
      rounds[i].push(await measureRound(app, route, cookies));
      console.error(`round ${r + 1}, ${route.name}: ${rounds[i][r].rps.toFixed(0)} req/s`);
    }
  }
  const rows = ROUTES.map((route, i) => summarize(app!, route, rounds[i]));
  const profile = profileFile ? await profileCartWrite(app, cookies, profileFile) : [];
  const peakMb = procMemMb(app.proc.pid!, 'VmHWM');
  // Postgres alone: the app (and its outbox relay) stopped first.
  await app.stop();
  app = undefined;
  await orderSqlBaseline(db.url, CONNECTIONS, WARMUP);
  const baselines: Throughput[] = [];
  for (const clients of [CONNECTIONS, 10]) {
    baselines.push(await orderSqlBaseline(db.url, clients, SECONDS));
    console.error(`SQL baseline, ${clients} clients: ${baselines[baselines.length - 1].ordersPerSecond.toFixed(0)} orders/s`);
  }
  const table = report(rows, peakMb, baselines, profile);
  console.log(`${table}\n`);
  writeDoc(table);
}

/** Stops the app, drops the database and deletes this run's Redis keys (SCAN, never KEYS). */
async function cleanup(): Promise<void> {
  await app?.stop().catch(() => undefined);
  await db?.drop().catch((e: Error) => console.error(`drop database: ${e.message}`));
  await deleteKeys(REDIS_URL, NS);
  [app, db] = [undefined, undefined];
}

runBounded(main, cleanup, 10 * 60_000);
