// Session benchmark: `npm run bench:session`. Starts its own redis-server (no persistence) and
// one server process per scenario (bench/server.ts), drives each with autocannon from this
// process, and prints markdown tables for docs/benchmarks.md. A script, not a test: targets are
// reported as PASS/MISS and never fail the run. Knobs: BENCH_ROUNDS, BENCH_SECONDS, BENCH_PROFILE=1.
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_S = 2;
const CONNECTIONS = 50;
const NS = `bench:${randomBytes(4).toString('hex')}`; // unique per run; all keys start with it
const children = new Set<ChildProcess>();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Spawns a child and resolves once a stdout line matches; killed by pid if it doesn't in time. */
function start(cmd: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; match: RegExpExecArray }> {
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => (stop(proc), reject(new Error(`${cmd} not ready in 30 s: ${out}`))), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      const match = ready.exec((out += d.toString()));
      if (match) (clearTimeout(timer), resolve({ proc, match }));
    });
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${cmd} exited ${code}: ${out}`))));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startServer(mode: string, redisUrl: string, cpuProfile?: string) {
  const args = ['-r', 'ts-node/register/transpile-only', 'bench/server.ts', mode, redisUrl, NS];
  const { proc, match } = await start(process.execPath, args, /LISTENING (\d+)/, cpuProfile ? { BENCH_CPU_PROFILE: cpuProfile } : {});
  return { proc, url: `http://127.0.0.1:${match[1]}` };
}

/** One request without a cookie per connection: each connection gets its own session (no hot key). */
async function seedCookies(url: string, name: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const res = await fetch(url);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
    if (!res.ok || !cookie) throw new Error(`no ${name} cookie from ${url} (${res.status})`);
    cookies.push(cookie.split(';')[0]);
  }
  return cookies;
}

function cannon(url: string, cookies: string[], seconds: number): Promise<autocannon.Result> {
  let next = 0; // setupClient runs once per connection: connection i always sends cookie i
  const setupClient = (c: autocannon.Client) => c.setHeaders({ cookie: cookies[next++ % cookies.length] });
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, ...(cookies.length ? { setupClient } : {}) });
}

async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const stats = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) stats.set(m[1], Number(m[2]));
  return stats;
}

interface Measured { rps: number; p50: number; p99: number; perRequest: Map<string, number>; non2xx: number }

/** Warm-up, then ROUNDS measured rounds; Redis command deltas are divided by the measured request count. */
async function measure(url: string, cookies: string[], redis: Redis, rounds = ROUNDS, seconds = SECONDS, warmup = WARMUP_S): Promise<Measured> {
  await cannon(url, cookies, warmup);
  await sleep(300); // let in-flight requests finish before the baseline
  const before = await commandStats(redis);
  const results: autocannon.Result[] = [];
  for (let i = 0; i < rounds; i++) results.push(await cannon(url, cookies, seconds));
  await sleep(300);
  const after = await commandStats(redis);
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const perRequest = new Map<string, number>();
  for (const [cmd, calls] of after) if (cmd !== 'info' && calls > (before.get(cmd) ?? 0)) perRequest.set(cmd, (calls - (before.get(cmd) ?? 0)) / total);
  return {
    rps: median(results.map((r) => r.requests.average)),
    p50: median(results.map((r) => r.latency.p50)),
    p99: median(results.map((r) => r.latency.p99)),
    perRequest,
    non2xx: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
  };
}

/** Top self-time functions of a .cpuprofile, plus self time by area (our code, Nest, ioredis, ...). */
function summarizeProfile(file: string): string[] {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  let all = 0;
  samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const us = timeDeltas[i] ?? 0;
    all += us;
    const where = url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
    const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const area = /src\/session\//.test(url) ? 'src/session' : (/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node internals' : functionName || 'other'));
    areas.set(area, (areas.get(area) ?? 0) + us);
  });
  const pct = (us: number) => `${((100 * us) / all).toFixed(1)}%`;
  const top = (m: Map<string, number>, n: number, keep = (_: string) => true) =>
    [...m].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `| ${k} | ${pct(us)} |`);
  return ['| self time by area | share |', '|---|---|', ...top(areas, 12), '', '| top self-time functions | share |', '|---|---|', ...top(self, 15),
    '', '| top in src/session | share |', '|---|---|', ...top(self, 10, (k) => k.includes('src/session/'))];
}

async function main() {
  const watchdog = setTimeout(() => void cleanup().finally(() => process.exit(2)), 8 * 60_000); // hard bound on the whole run
  const redisPort = await freePort();
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const redisArgs = ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const { proc: redisProc } = await start('redis-server', redisArgs, /Ready to accept connections/);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 5_000 });
  const out: string[] = [];
  const row = (name: string, m: Measured) => out.push(`| ${name} | ${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${m.non2xx} |`);
  try {
    const scenario = async (mode: string, seedPath: string, cookieName: string, benchPath: string) => {
      const server = await startServer(mode, redisUrl);
      try {
        const cookies = cookieName ? await seedCookies(server.url + seedPath, cookieName) : [];
        return { m: await measure(server.url + benchPath, cookies, redis), cookies };
      } finally {
        await stop(server.proc);
      }
    };
    console.error(`namespace ${NS}, redis ${redisUrl}, ${ROUNDS} x ${SECONDS} s after ${WARMUP_S} s warm-up, ${CONNECTIONS} connections`);
    const a = await scenario('nest-session', '/bench', 'BOOKSTORE_SESSION', '/bench');
    const a2 = await scenario('nest-session', '/bench', 'BOOKSTORE_SESSION', '/bench/read');
    const b = await scenario('nest-plain', '', '', '/bench');
    const c = await scenario('nest-express-session', '/bench', 'connect.sid', '/bench');
    const d = await scenario('express', '/bench', 'connect.sid', '/bench');
    out.push('| scenario | req/s | p50 ms | p99 ms | non-2xx/errors |', '|---|---|---|---|---|');
    row('(a) Nest + SessionModule, read+write', a.m);
    row('(a2) Nest + SessionModule, read only', a2.m);
    row('(b) Nest, no session', b.m);
    row('(c) Nest + express-session/connect-redis', c.m);
    row('(d) express + express-session/connect-redis', d.m);
    const check = (label: string, ok: boolean, detail: string) => (out.push(`| ${label} | ${detail} | ${ok ? 'PASS' : 'MISS'} |`), ok);
    out.push('', '| target | measured | result |', '|---|---|---|');
    let ok = check('(a) ≥ 0.8 × (b) req/s', a.m.rps >= 0.8 * b.m.rps, `${(a.m.rps / b.m.rps).toFixed(2)} ×`);
    ok = check('(a) ≥ 1.2 × (c) req/s', a.m.rps >= 1.2 * c.m.rps, `${(a.m.rps / c.m.rps).toFixed(2)} ×`) && ok;
    ok = check('p99 (a) ≤ 1.3 × p99 (b)', a.m.p99 <= 1.3 * b.m.p99, `${(a.m.p99 / b.m.p99).toFixed(2)} ×`) && ok;
    const rt = (m: Measured, cmd: string) => m.perRequest.get(cmd) ?? 0;
    const oneEach = Math.abs(rt(a.m, 'hgetall') - 1) < 0.02 && Math.abs(rt(a.m, 'evalsha') + rt(a.m, 'eval') - 1) < 0.02;
    ok = check('(a) one round trip to load, one to save', oneEach, `HGETALL ${rt(a.m, 'hgetall').toFixed(3)}, EVALSHA ${rt(a.m, 'evalsha').toFixed(3)} per request`) && ok;
    out.push(`| (d)/(c) for context | ${(d.m.rps / c.m.rps).toFixed(2)} × | |`, '');
    // Commands run inside our Lua script (exists/hset/pexpire...) are counted too; only HGETALL and EVALSHA are round trips.
    out.push('| Redis commands per request | commands |', '|---|---|');
    for (const [name, m] of [['(a)', a.m], ['(a2)', a2.m], ['(c)', c.m]] as const)
      out.push(`| ${name} | ${[...m.perRequest].map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') || 'none'} |`);

    // Cart-size series: a fresh server per size; sessions seeded with a cart of N lines.
    out.push('', '| cart lines | req/s | p50 ms | p99 ms | MEMORY USAGE of the session (bytes) |', '|---|---|---|---|---|');
    const mem = (key: string) => redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') as Promise<number>;
    for (const lines of [0, 1, 10, 25, 50]) {
      const server = await startServer('nest-session', redisUrl);
      try {
        const cookies = await seedCookies(`${server.url}/seed/${lines}`, 'BOOKSTORE_SESSION');
        const bytes = await mem(`${NS}:sessions:${cookies[0].split('=')[1]}`);
        const m = lines === 0 ? undefined : await measure(`${server.url}/bench/cart`, cookies, redis, 3, 2, 1);
        out.push(`| ${lines} | ${m ? `${m.rps.toFixed(0)} | ${m.p50} | ${m.p99}` : '- | - | -'} | ${bytes} |`);
      } finally {
        await stop(server.proc);
      }
    }
    const [sessKey] = await redis.keys(`${NS}:sess:*`); // connect-redis's string value, for comparison
    out.push(`| connect-redis session {counter} | | | | ${sessKey ? await mem(sessKey) : '?'} |`);

    if (!ok || process.env.BENCH_PROFILE === '1') {
      // Profile (a) under load: the server writes the .cpuprofile on its clean SIGTERM exit.
      const file = join(mkdtempSync(join(tmpdir(), 'session-prof-')), 'a.cpuprofile');
      const server = await startServer('nest-session', redisUrl, file);
      try {
        const cookies = await seedCookies(`${server.url}/bench`, 'BOOKSTORE_SESSION');
        await cannon(`${server.url}/bench`, cookies, SECONDS);
      } finally {
        await stop(server.proc);
      }
      out.push('', `Profile of (a), ${SECONDS} s under load: ${file}`, '', ...summarizeProfile(file));
    }
    console.log(out.join('\n'));
  } finally {
    clearTimeout(watchdog);
    await cleanup(redis);
    await stop(redisProc);
  }
}

/** Deletes this run's keys (our own redis-server, so KEYS is harmless), then stops children by pid. */
async function cleanup(redis?: Redis): Promise<void> {
  if (redis) {
    const keys = await redis.keys(`${NS}:*`).catch(() => [] as string[]);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
  }
  await Promise.all([...children].map(stop));
}

process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
main().catch(async (err) => {
  console.error(err);
  await cleanup();
  process.exit(1);
});
