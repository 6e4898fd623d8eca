import { appMigrations } from '../../src/app.migrations';
import { pollUntil } from '../support/ports';
import { describeRecord } from '../topology/analysis';
import {
  cartMismatches,
  orderProblems,
  stockSql,
  StoredOrder,
  storedOrdersSql,
} from '../topology/checks';
import { CUSTOMER } from '../topology/order-placement';
import type { EventQueue } from './broker';
import type { ComposeCluster } from './cluster';
import type { FaultOutcome } from './faults';
import type { ComposeStack } from './stack';

const EVENTS_TIMEOUT_MS = 120_000;

export interface Check {
  name: string;
  /** Empty when the check holds. */
  problems: unknown[];
}

/** The checks after the load: data, sessions, errors, cluster, migrations, events, containers. */
export async function runChecks(
  stack: ComposeStack,
  cluster: ComposeCluster,
  events: EventQueue,
  outcome: FaultOutcome,
  stock: number,
): Promise<Check[]> {
  const { run, summary } = outcome;
  const apps = stack.services(/^app\d+$/);
  const checks: Check[] = [];
  const check = (name: string, problems: unknown[]) => checks.push({ name, problems });

  check('no anomaly in what the users saw (carts, sessions, orders)', [...run.anomalies]);
  const where = `WHERE o.customer_name = '${CUSTOMER.name}'`;
  const driverOrders = await stack.sql<StoredOrder>(storedOrdersSql(where));
  check('every 201 order is in Postgres once, with its lines', orderProblems(run, driverOrders));
  const rows = await stack.sql<{ code: string; now: number; ordered: number }>(stockSql);
  check('stock = start − everything ordered, per product', [
    ...(rows.length === 15 ? [] : [`${rows.length} products`]),
    ...rows.filter((s) => s.now + s.ordered !== stock),
  ]);
  check('every acknowledged cart write is readable now', [
    ...run.users.filter((u) => u.sessionId === undefined).map((u) => `vu ${u.id}: no session`),
    ...cartMismatches(run, outcome.cartsNow),
  ]);
  check('errors only inside the fault windows, only 502/503/no answer', [
    ...summary.untolerated.map(describeRecord),
    ...summary.outsideWindows.map(describeRecord),
  ]);
  check('every request after the last window succeeded', [
    ...(summary.afterWindows.total > 0 ? [] : ['no traffic after the last window']),
    ...(summary.afterWindows.failed === 0 ? [] : [`${summary.afterWindows.failed} failed`]),
  ]);
  check('the Redis Cluster is healthy and in sync', await cluster.problems());
  check(
    'migrations ran once, although the replicas started together',
    await migrations(stack, apps),
  );
  check(
    'RabbitMQ carried one distinct eventId for every order',
    await eventProblems(stack, events),
  );
  check('the app containers run as a non-root user', await rootApps(stack, apps));
  const health = await Promise.all(apps.map(async (a) => `${a}: ${await stack.health(a)}`));
  check(
    "the apps' healthchecks report healthy",
    health.filter((h) => !h.endsWith(': healthy')),
  );
  return checks;
}

async function migrations(stack: ComposeStack, apps: string[]): Promise<unknown[]> {
  const rows = await stack.sql<{ name: string; n: number }>(
    'SELECT name, count(*)::int AS n FROM migrations GROUP BY name',
  );
  const problems: unknown[] = rows.filter((r) => r.n !== 1);
  if (rows.length !== appMigrations.length)
    problems.push(`${rows.length} migrations recorded, ${appMigrations.length} exist`);
  // Each start logs how many it applied: together (restarts included) they applied each once.
  let applied = 0;
  for (const app of apps) {
    for (const m of (await stack.logs(app)).matchAll(/Migrations applied now: (\d+)/g))
      applied += Number(m[1]);
  }
  if (applied !== appMigrations.length)
    problems.push(`the apps' logs say ${applied} migrations applied`);
  return problems;
}

/** Waits (bounded) until every stored order's event has arrived, then compares. */
async function eventProblems(stack: ComposeStack, events: EventQueue): Promise<unknown[]> {
  const orders = await stack.sql<{ number: string }>(
    'SELECT order_number::text AS number FROM orders.orders',
  );
  const eventIds = new Map<string, Set<string>>();
  const tally = () => {
    eventIds.clear();
    for (const e of events.received) {
      const number = String(e.order?.orderNumber);
      eventIds.set(number, (eventIds.get(number) ?? new Set()).add(String(e.eventId)));
    }
  };
  await pollUntil(
    `an event for each of ${orders.length} orders`,
    async () => {
      await events.drain();
      tally();
      return orders.every((o) => eventIds.has(o.number));
    },
    { timeoutMs: EVENTS_TIMEOUT_MS, intervalMs: 1_000 },
  ).catch(() => undefined); // what is missing is reported below
  const known = new Set(orders.map((o) => o.number));
  return [
    ...orders.filter((o) => !eventIds.has(o.number)).map((o) => `no event for order ${o.number}`),
    ...[...eventIds]
      .filter(([, ids]) => ids.size !== 1)
      .map(([n, ids]) => `order ${n}: ${ids.size} eventIds`),
    ...[...eventIds.keys()].filter((n) => !known.has(n)).map((n) => `event for unknown order ${n}`),
  ];
}

async function rootApps(stack: ComposeStack, apps: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const app of apps) {
    // PID 1 is the app itself (CMD node dist/main.js); its real and effective uid.
    const status = await stack.exec(app, ['cat', '/proc/1/status']);
    const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
    if (!uids || uids[1] === '0' || uids[2] === '0') problems.push(`${app}: ${uids?.[0]}`);
  }
  return problems;
}
