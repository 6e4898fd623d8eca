import { SLOTS_REFRESH_INTERVAL_MS } from '../../src/session/stores/redis-connection';
import type { AppProcess } from '../support/app-process';
import { sleep } from '../support/ports';
import type { RedisClusterHarness } from '../support/redis-cluster';
import { FailureWindow, summarize, Summary } from './analysis';
import { linesOf } from './carts';
import { COMMAND_TIMEOUT_MS, DURABLE_TIMEOUT_MS } from './deployment';
import { startLoad } from './driver';
import type { CartLine, LoadRun, RequestRecord } from './load-types';
import type { NginxProcess } from './nginx';
import { SESSION_COOKIE } from './recording-client';

/**
 * 30 users run the k6 order flow for a minute while one app is SIGKILLed and later the Redis
 * master holding a user's session dies.
 */
export const VUS = 30;
const DURATION_MS = 60_000;
const MAX_REQUESTS = 200_000;
const THINK_TIME_MS: [number, number] = [200, 400];
/**
 * Far above any answer's time on a loaded machine: a user who gave up early would move on while
 * the server still applies the abandoned request, and "the last acknowledged cart" would be wrong.
 * The servers bound their own waits (Redis command timeout, database timeouts, nginx).
 */
const REQUEST_TIMEOUT_MS = 30_000;
const APP_KILL_AT_MS = 15_000;
/** Which of the three apps is SIGKILLed (not the first: it ran the migrations). */
export const KILLED_APP = 1;
const REDIS_KILL_AT_MS = 35_000;
/** nginx passes a refused connection to the next app at once: only in-flight requests fail. */
const APP_GRACE_MS = 3_000;
/**
 * After the harness sees the failover done, an app may still route to the dead master until its
 * next slots refresh. Its first batch of saves on the promoted master, which has no replica
 * left, waits out the WAIT timeout, holding the node's connection; a command queued behind it
 * may reach the command timeout on a busy machine. Plus 2 s for scheduling there.
 */
const REDIS_GRACE_MS = SLOTS_REFRESH_INTERVAL_MS + DURABLE_TIMEOUT_MS + COMMAND_TIMEOUT_MS + 2_000;
export const SESSION_KEY_PREFIX = 'spring:session:sessions:';

export interface RedisKill {
  window: FailureWindow;
  killedPort: number;
  failoverMs: number;
  /** Users whose session lived on the killed master. */
  affected: Set<number>;
}

export interface Outcome {
  run: LoadRun;
  windows: FailureWindow[];
  redisKill: RedisKill;
  summary: Summary;
  /** Each user's cart read back through nginx after the run (or what went wrong reading it). */
  cartsNow: Map<number, CartLine[] | string>;
}

export async function runScenario(
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
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
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

/** Session requests (all but the catalog) of users whose session lived on the killed master. */
export const onKilledMaster = (kill: RedisKill) => (r: RequestRecord) =>
  kill.affected.has(r.vu) && r.route !== 'GET /api/products';

export async function sleepUntil(run: LoadRun, at: number): Promise<void> {
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

/** Each user's cart through nginx with its cookie, as the user would see it now. */
export async function readCarts(
  run: LoadRun,
  baseUrl: string,
): Promise<Map<number, CartLine[] | string>> {
  const read = async (sessionId: string | undefined): Promise<CartLine[] | string> => {
    try {
      const res = await fetch(`${baseUrl}/api/cart`, {
        headers: sessionId ? { Cookie: `${SESSION_COOKIE}=${sessionId}` } : {},
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
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
