// Live cart benchmark: `npm run bench:live`. Three built apps (dist/main.js) on the local
// PostgreSQL (a throw-away database) and Redis (a namespace each, keys removed at the end):
// `off` (LIVE_CART=false, no session events), `events` (LIVE_CART=false, SESSION_LIVE_EVENTS
// on: the publish alone) and `on` (the gateway, 0 sockets). The cart write (PUT, alternating
// quantities, one session per connection) runs on each in turn, ROUNDS times, interleaved so
// that a change in the machine's load hits all three alike; CPU µs/req from /proc, the median
// of the rounds compared. Then 1,000 sockets (1,000 sessions) are opened on `on`: RSS and V8
// heap (its /metrics) per socket, and the push of a change measured with them open.
// A script, not a test: the 5 % target is reported PASS/MISS. Knobs: BENCH_SECONDS (5),
// BENCH_ROUNDS (5), BENCH_CONNECTIONS (20), BENCH_SOCKETS (1000).
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import WebSocket from 'ws';
import { AppProcess, startAppProcess } from '../test/support/app-process';
import { createTestDatabase, TestDatabase } from '../test/support/database';
import { cpuOf, deleteKeys, procMemMb, runBounded, sleep } from './app-bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NS = `bench:live:${randomBytes(4).toString('hex')}`;
const JSON_HEADERS = { 'content-type': 'application/json' };
const VARIANTS = {
  off: { LIVE_CART: 'false', SESSION_LIVE_EVENTS: 'false' },
  events: { LIVE_CART: 'false', SESSION_LIVE_EVENTS: 'true' },
  on: { LIVE_CART: 'true' },
} as const;
type Variant = keyof typeof VARIANTS;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function newSession(url: string): Promise<string> {
  const res = await fetch(`${url}/api/cart/items`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ code: 'P101', quantity: 1 }),
    signal: AbortSignal.timeout(10_000),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('BOOKSTORE_SESSION='));
  if (res.status !== 201 || !cookie) throw new Error(`no session (${res.status})`);
  return cookie.split(';')[0];
}

/** V8 heap in use, from the app's own /metrics (prom-client's default metrics). */
async function heapMb(app: AppProcess): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)![1]) / 2 ** 20;
}

async function cartWrites(app: AppProcess, cookies: string[]): Promise<{ cpuUs: number; rps: number; bad: number }> {
  let next = 0;
  const setupClient = (client: autocannon.Client) => {
    const cookie = cookies[next++ % cookies.length];
    client.setRequests(
      [1, 2].map((quantity) => ({ method: 'PUT', path: '/api/cart/items/P101', headers: { ...JSON_HEADERS, cookie }, body: JSON.stringify({ quantity }) })),
    );
  };
  await sleep(300);
  const pid = app.proc.pid!;
  const cpu = cpuOf(pid);
  const r = await autocannon({ url: app.url, connections: CONNECTIONS, duration: SECONDS, setupClient });
  await sleep(300);
  return { cpuUs: (cpuOf(pid) - cpu) / r.requests.total, rps: r.requests.average, bad: r.non2xx + r.errors + r.timeouts };
}

function openSocket(app: AppProcess, cookie: string, onCart: (at: number) => void): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${app.port}/api/cart/live`, { headers: { Origin: app.url, Cookie: cookie }, handshakeTimeout: 10_000 });
  socket.on('message', (data) => {
    if ((JSON.parse((data as Buffer).toString()) as { type: string }).type === 'cart') onCart(Date.now());
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

let db: TestDatabase | undefined;
const apps: Partial<Record<Variant, AppProcess>> = {};
const sockets: WebSocket[] = [];

async function main(): Promise<void> {
  db = await createTestDatabase();
  for (const [name, env] of Object.entries(VARIANTS) as Array<[Variant, Record<string, string>]>) {
    apps[name] = await startAppProcess({
      DATABASE_URL: db.url,
      REDIS_URL,
      SESSION_NAMESPACE: `${NS}:${name}`,
      SESSION_KEYSPACE_EVENTS: 'off', // no CONFIG SET on a shared Redis
      SESSION_NEW_PER_MINUTE: '0',
      LIVE_CART_MAX_SOCKETS: String(SOCKETS + 10),
      DEMO_USERS: 'false',
      NODE_ENV: 'production',
      ...env,
    });
  }
  const names = Object.keys(VARIANTS) as Variant[];
  const cookies: Record<string, string[]> = {};
  for (const name of names) {
    cookies[name] = await Promise.all(Array.from({ length: CONNECTIONS }, () => newSession(apps[name]!.url)));
    for (let i = 0; i < 2; i++) await cartWrites(apps[name]!, cookies[name]); // warm-up
  }
  const runs: Record<string, Array<{ cpuUs: number; rps: number; bad: number }>> = { off: [], events: [], on: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      runs[name].push(await cartWrites(apps[name]!, cookies[name]));
      console.error(`round ${round + 1} ${name}: ${runs[name].at(-1)!.cpuUs.toFixed(0)} µs/req`);
    }
  }

  // 1,000 sockets, one session each, on the gateway's instance.
  const on = apps.on!;
  const sessions: string[] = [];
  for (let i = 0; i < SOCKETS; i++) sessions.push(await newSession(on.url));
  await sleep(2_000);
  const rssBefore = procMemMb(on.proc.pid!, 'VmRSS');
  const heapBefore = await heapMb(on);
  const pushedAt: number[] = [];
  for (const cookie of sessions) sockets.push(await openSocket(on, cookie, (at) => pushedAt.push(at)));
  const deadline = Date.now() + 60_000;
  while (pushedAt.length < SOCKETS && Date.now() < deadline) await sleep(100);
  await sleep(2_000);
  const rssAfter = procMemMb(on.proc.pid!, 'VmRSS');
  const heapAfter = await heapMb(on);
  const greeted = pushedAt.length;
  // One cart change per session, sequentially: the time from each answer to its socket's push.
  const latencies: number[] = [];
  for (const cookie of sessions.slice(0, 100)) {
    const before = pushedAt.length;
    const res = await fetch(`${on.url}/api/cart/items/P101`, { method: 'PUT', headers: { ...JSON_HEADERS, cookie }, body: '{"quantity":2}', signal: AbortSignal.timeout(10_000) });
    const answered = Date.now();
    if (res.status !== 200) throw new Error(`PUT ${res.status}`);
    const until = Date.now() + 10_000;
    while (pushedAt.length === before && Date.now() < until) await sleep(1);
    latencies.push(Math.max(0, (pushedAt.at(-1) ?? answered) - answered));
  }

  const row = (name: Variant) => {
    const cpu = median(runs[name].map((r) => r.cpuUs));
    const vsOff = (cpu / median(runs.off.map((r) => r.cpuUs)) - 1) * 100;
    return `| ${name} | ${runs[name].map((r) => r.cpuUs.toFixed(0)).join(' / ')} | ${cpu.toFixed(0)} | ${name === 'off' ? '–' : `${vsOff >= 0 ? '+' : ''}${vsOff.toFixed(1)} %`} | ${mean(runs[name].map((r) => r.rps)).toFixed(0)} | ${runs[name].reduce((n, r) => n + r.bad, 0)} |`;
  };
  const cpuOfRuns = (name: Variant) => median(runs[name].map((r) => r.cpuUs));
  const onVsOff = cpuOfRuns('on') / cpuOfRuns('off') - 1;
  const onVsEvents = cpuOfRuns('on') / cpuOfRuns('events') - 1;
  console.log(
    [
      `Cart write (PUT /api/cart/items/P101), ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s; ${cpus().length} cores (${cpus()[0].model}), Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC`,
      '',
      '| app | server CPU µs/req per round | median | vs off | req/s (mean) | non-2xx/errors |',
      '|---|---|---|---|---|---|',
      row('off'),
      row('events'),
      row('on'),
      '',
      `| target | measured | result |`,
      '|---|---|---|',
      `| gateway on, 0 sockets, within 5 % of off (CPU µs/req) | ${(onVsOff * 100).toFixed(1)} % (gateway alone, vs events: ${(onVsEvents * 100).toFixed(1)} %) | ${Math.abs(onVsOff) <= 0.05 ? 'PASS' : 'MISS'} |`,
      '',
      `${SOCKETS} sockets (${greeted} got their cart): RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB (${(((rssAfter - rssBefore) * 1024) / SOCKETS).toFixed(1)} KB per socket), V8 heap used ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB (${(((heapAfter - heapBefore) * 1024) / SOCKETS).toFixed(1)} KB per socket, garbage included); a change's push, answer → socket: median ${median(latencies)} ms, max ${Math.max(...latencies)} ms (${latencies.length} changes, with ${SOCKETS} sockets open).`,
    ].join('\n'),
  );
}

async function cleanup(): Promise<void> {
  for (const socket of sockets) socket.terminate();
  await Promise.all(Object.values(apps).map((app) => app.stop().catch(() => undefined)));
  await db?.drop().catch((e: Error) => console.error(`drop database: ${e.message}`));
  await deleteKeys(REDIS_URL, NS);
  db = undefined;
}

runBounded(main, cleanup, 8 * 60_000);
