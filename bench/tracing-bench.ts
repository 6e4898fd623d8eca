// Tracing on vs off, side by side: two processes of the built app (dist/main.js) on one
// fresh database and the machine's Redis, one exporting every span over OTLP/HTTP to a sink
// in this process, the other with tracing off. Rounds alternate between them, so outside
// load hits both alike. Prints the markdown table of docs/benchmarks.md ("Tracing overhead").
// Run: npm run build && npx ts-node --transpile-only bench/tracing-bench.ts
import autocannon from 'autocannon';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppProcess, startAppProcess } from '../test/support/app-process';
import { createTestDatabase, TestDatabase } from '../test/support/database';
import { TEST_REDIS_URL, testNamespace } from '../test/support/redis';
import { removeTrackedResources } from '../test/support/resources';
import { cpuOf } from './app-bench-support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Accepts OTLP exports and counts them. */
async function startSink(): Promise<{ url: string; spans: () => number; close(): void }> {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans: () => bytes, close: () => server.close() };
}

async function sessionCookie(app: AppProcess): Promise<string> {
  const res = await fetch(`${app.url}/api/cart/items`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: 'P100', quantity: 1 }),
  });
  return res.headers.get('set-cookie')!.split(';')[0];
}

interface Sample {
  rps: number[];
  p50: number[];
  p99: number[];
  cpuPerReq: number[];
}

/** No cookie: the catalog route (one query). A session's cookie: the cart (one Redis read). */
async function round(app: AppProcess, path: string, cookie: string | undefined, seconds: number) {
  const cpu = cpuOf(app.proc.pid!);
  const r = await autocannon({
    url: `${app.url}${path}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: cookie ? { cookie } : {},
  });
  const requests = r.requests.total;
  // A few 503s (a Redis command over its timeout) are possible on a loaded machine; many are not.
  if (r.non2xx + r.errors > requests / 100) throw new Error(`${path}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu: (cpuOf(app.proc.pid!) - cpu) / requests };
}

async function main(): Promise<void> {
  const sink = await startSink();
  let db: TestDatabase | undefined;
  const apps: AppProcess[] = [];
  try {
    db = await createTestDatabase();
    const base = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, SESSION_KEYSPACE_EVENTS: 'off', LOG_LEVEL: 'warn', REDIS_COMMAND_TIMEOUT_MS: '2000' };
    const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url };
    const sampled = { ...traced, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
    for (const env of [{}, traced, sampled]) {
      apps.push(await startAppProcess({ ...base, ...env, SESSION_NAMESPACE: testNamespace() }));
    }
    const cookies = await Promise.all(apps.map(sessionCookie));
    const rows: string[] = [];
    for (const path of ['/api/products/P100', '/api/cart']) {
      const cookie = (i: number) => (path === '/api/cart' ? cookies[i] : undefined);
      const samples: Sample[] = apps.map(() => ({ rps: [], p50: [], p99: [], cpuPerReq: [] }));
      for (const [i, app] of apps.entries()) await round(app, path, cookie(i), 2); // warm-up
      for (let n = 0; n < ROUNDS; n++) {
        for (const [i, app] of apps.entries()) {
          const r = await round(app, path, cookie(i), SECONDS);
          samples[i].rps.push(r.rps);
          samples[i].p50.push(r.p50);
          samples[i].p99.push(r.p99);
          samples[i].cpuPerReq.push(r.cpu);
        }
      }
      for (const [i, mode] of ['off', 'on', 'on, 10 % sampled'].entries()) {
        const s = samples[i];
        rows.push(`| \`GET ${path}\` | ${mode} | ${Math.round(median(s.rps))} | ${median(s.p50)} | ${median(s.p99)} | ${Math.round(median(s.cpuPerReq))} |`);
      }
    }
    console.log('| route | tracing | req/s | p50 ms | p99 ms | server CPU µs/req |');
    console.log('|---|---|---|---|---|---|');
    console.log(rows.join('\n'));
    console.log(`\nOTLP bytes received by the sink: ${sink.spans()}`);
  } finally {
    for (const app of apps) await app.stop();
    await db?.drop();
    await removeTrackedResources();
    sink.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
