import { pollFor, pollUntil, sleep } from '../support/ports';
import { FailureWindow, summarize, Summary } from '../topology/analysis';
import { startLoad } from '../topology/driver';
import type { CartLine, LoadRun } from '../topology/load-types';
import { readCarts, SESSION_KEY_PREFIX, sleepUntil } from '../topology/scenario';
import type { ComposeCluster } from './cluster';
import { docker } from './docker';
import type { ComposeStack } from './stack';
import type { deploymentTimings } from './timings';

const VUS = 10;
// As k6's order flow (0.5 s and more): the whole stack shares two cores with the driver.
const THINK_TIME_MS: [number, number] = [500, 1_000];
/** An upper bound only: the run stops once the last fault has healed and traffic went on. */
const MAX_DURATION_MS = 400_000;
const MAX_REQUESTS = 200_000;
/** As in test/topology: far above any answer's time, so no user moves on from a live request. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Traffic before the first fault (every user has a session), and after each heal. */
const WARM_UP_MS = 5_000;
const SETTLE_MS = 3_000;
/** Traffic after the last window, which must all succeed. */
const TAIL_MS = 10_000;
/** How long a killed app stays down before it is started again. */
const APP_DOWN_MS = 3_000;
const FAILOVER_TIMEOUT_MS = 60_000;
const HEAL_TIMEOUT_MS = 180_000;

type Timings = ReturnType<typeof deploymentTimings>;

/** One injected fault on the driver's clock (ms). */
export interface Fault {
  name: string;
  from: number;
  /** When it was undone (container started, network reconnected). */
  undoneAt: number;
  /** When the stack was healthy again: cluster ok and in sync, every app healthy. */
  healedAt: number;
  /** Where errors are tolerated; none for a graceful stop, which must cost no request. */
  window?: FailureWindow;
  detail: string;
}

export interface FaultOutcome {
  run: LoadRun;
  faults: Fault[];
  windows: FailureWindow[];
  summary: Summary;
  cartsNow: Map<number, CartLine[] | string>;
}

/**
 * The topology driver's users run the order flow through nginx while four faults are injected
 * one at a time, each once the previous has healed: an app killed and started, the Redis master
 * holding a session killed and started, a Redis master cut off the network for longer than the
 * cluster node timeout and reconnected, an app stopped gracefully and started.
 */
export async function runFaults(
  stack: ComposeStack,
  cluster: ComposeCluster,
  timings: Timings,
): Promise<FaultOutcome> {
  const run = startLoad({
    baseUrl: stack.baseUrl,
    vus: VUS,
    durationMs: MAX_DURATION_MS,
    maxRequests: MAX_REQUESTS,
    thinkTimeMs: THINK_TIME_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const faults: Fault[] = [];
  const ctx = { stack, cluster, timings, run };
  try {
    await sleepUntil(run, WARM_UP_MS);
    const injections = [killApp, killSessionMaster, partitionMaster, stopApp];
    for (const [i, inject] of injections.entries()) {
      console.log(
        `  fault ${i + 1}/${injections.length}: ${inject.name} at ${Math.round(run.now())} ms`,
      );
      const fault = await inject(ctx);
      faults.push(fault);
      console.log(`  ${describeFault(fault)}`);
      await sleep(SETTLE_MS);
    }
    await sleep(TAIL_MS);
  } finally {
    // Also on failure: no user may keep sending once the run has given up.
    await run.stop();
  }
  const windows = faults.flatMap((f) => (f.window ? [f.window] : []));
  const cartsNow = await readCarts(run, stack.baseUrl);
  return { run, faults, windows, summary: summarize(run.records, windows), cartsNow };
}

export function describeFault(f: Fault): string {
  const window = f.window
    ? `window ${Math.round(f.window.from)}–${Math.round(f.window.to)} ms`
    : 'no errors tolerated';
  return (
    `${f.name} at ${Math.round(f.from)} ms (${f.detail}), undone +${Math.round(f.undoneAt - f.from)} ms, ` +
    `healed +${Math.round(f.healedAt - f.from)} ms; ${window}`
  );
}

interface Context {
  stack: ComposeStack;
  cluster: ComposeCluster;
  timings: Timings;
  run: LoadRun;
}

/** Healed: the cluster healthy and in sync, every app container running and healthy. */
async function healed({ stack, cluster, run }: Context): Promise<number> {
  const apps = stack.services(/^app\d+$/);
  await pollUntil(
    'the stack to heal (cluster ok and in sync, every app healthy)',
    async () => {
      const health = await Promise.all(apps.map((a) => stack.health(a)));
      return health.every((h) => h === 'healthy') && (await cluster.problems()).length === 0;
    },
    { timeoutMs: HEAL_TIMEOUT_MS, intervalMs: 1_000 },
  );
  return run.now();
}

const running = async (stack: ComposeStack, service: string) =>
  (await docker(['inspect', '-f', '{{.State.Running}}', stack.container(service)])).trim() ===
  'true';

/** `docker kill` (SIGKILL, as a crash) of one app, then `docker start` it. */
async function killApp(ctx: Context): Promise<Fault> {
  const { stack, run, timings } = ctx;
  const app = stack.services(/^app\d+$/)[1];
  const from = run.now();
  await docker(['kill', stack.container(app)]);
  await pollUntil(`${app} to stop`, async () => !(await running(stack, app)), {
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  await sleep(APP_DOWN_MS);
  await docker(['start', stack.container(app)]);
  const undoneAt = run.now();
  const healedAt = await healed(ctx);
  const window = { name: `docker kill ${app}`, from, to: healedAt + timings.appGraceMs };
  return { name: window.name, from, undoneAt, healedAt, window, detail: `down ${APP_DOWN_MS} ms` };
}

/** A session some user is using right now, and the master that holds it. */
async function sessionMaster(ctx: Context, pick: number) {
  const withSession = ctx.run.users.filter((u) => u.sessionId !== undefined);
  if (withSession.length === 0) throw new Error('no user has a session yet');
  const user = withSession[pick % withSession.length];
  const slot = await ctx.cluster.slotOf(SESSION_KEY_PREFIX + user.sessionId!);
  const master = await ctx.cluster.ownerOf(slot);
  if (!master) throw new Error(`no master serves slot ${slot}`);
  const observer = ctx.cluster.services.find((s) => s !== master)!;
  return { user: user.id, slot, master, observer };
}

/** Waits until `observer` sees another master serving `slot`; returns when (driver clock). */
async function failover(ctx: Context, slot: number, oldMaster: string, observer: string) {
  const promoted = await pollFor(
    `a replica to take over slot ${slot} from ${oldMaster}`,
    async () => {
      const owner = await ctx.cluster.ownerOf(slot, observer);
      return owner && owner !== oldMaster ? owner : undefined;
    },
    { timeoutMs: FAILOVER_TIMEOUT_MS, intervalMs: 250 },
  );
  return { promoted, at: ctx.run.now() };
}

/** `docker kill` the Redis master holding a user's session; start it once a replica took over. */
async function killSessionMaster(ctx: Context): Promise<Fault> {
  const { stack, run, timings } = ctx;
  const { user, slot, master, observer } = await sessionMaster(ctx, 0);
  const from = run.now();
  await docker(['kill', stack.container(master)]);
  const { promoted, at } = await failover(ctx, slot, master, observer);
  await docker(['start', stack.container(master)]);
  const undoneAt = run.now();
  const healedAt = await healed(ctx);
  const name = `docker kill ${master} (master of vu ${user}'s session)`;
  const window = { name, from, to: healedAt + timings.redisGraceMs };
  const detail = `${promoted} promoted after ${Math.round(at - from)} ms`;
  return { name, from, undoneAt, healedAt, window, detail };
}

/**
 * `docker network disconnect` a Redis master until a replica has taken over (longer than
 * cluster-node-timeout, which failure detection waits out), then connect it back under its
 * service name, which the apps and the other nodes resolve.
 */
async function partitionMaster(ctx: Context): Promise<Fault> {
  const { stack, run, timings } = ctx;
  const { user, slot, master, observer } = await sessionMaster(ctx, run.users.length - 1);
  const network = await stack.network(master);
  const from = run.now();
  await docker(['network', 'disconnect', network, stack.container(master)]);
  const { promoted, at } = await failover(ctx, slot, master, observer);
  const held = Math.max(0, from + timings.nodeTimeoutMs - run.now());
  if (held > 0) await sleep(held);
  await docker(['network', 'connect', '--alias', master, network, stack.container(master)]);
  const undoneAt = run.now();
  const healedAt = await healed(ctx);
  const name = `docker network disconnect ${master} (master of vu ${user}'s session)`;
  const window = { name, from, to: healedAt + timings.redisGraceMs };
  const detail = `${promoted} promoted after ${Math.round(at - from)} ms`;
  return { name, from, undoneAt, healedAt, window, detail };
}

/** `docker stop` one app under load: it drains, nginx moves its traffic; not one error allowed. */
async function stopApp(ctx: Context): Promise<Fault> {
  const { stack, run, timings } = ctx;
  const app = stack.services(/^app\d+$/)[2];
  const grace = String(Math.ceil(timings.stopGraceMs / 1_000));
  const from = run.now();
  await docker(['stop', '-t', grace, stack.container(app)], timings.stopGraceMs + 30_000);
  const stoppedMs = Math.round(run.now() - from);
  await docker(['start', stack.container(app)]);
  const undoneAt = run.now();
  const healedAt = await healed(ctx);
  const detail = `stopped after ${stoppedMs} ms`;
  return { name: `docker stop ${app}`, from, undoneAt, healedAt, detail };
}
