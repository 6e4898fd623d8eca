// Session benchmark: `npm run bench:session`. Starts its own redis-server (no persistence, spare
// port) and one server process per scenario (bench/server.ts), drives each with autocannon from
// this process, prints the markdown and writes it into docs/benchmarks.md (between the bench:session
// markers). A script, not a test: targets are reported as PASS/MISS and never fail the run.
// Knobs: BENCH_ROUNDS, BENCH_SECONDS, BENCH_PROFILE=1 (CPU profile of (a)), BENCH_DOCS=0 (print only),
// BENCH_AUTOPIPELINING=0 (our store without ioredis auto-pipelining), BENCH_WARMUP (s), BENCH_PIN=1 (server alone on a core).
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_NODE_FLAGS, cpuOf, profileAreas, sleep } from './app-bench-support';

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** V8 needs seconds under load to settle a server's hot path (a fresh process can be half again dearer per request before). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const CONNECTIONS = 50;
/** BENCH_COMPARE=<dir>: also run (a) and (a2) of another checkout (e.g. main), interleaved with these. */
const COMPARE = process.env.BENCH_COMPARE;
/**
 * BENCH_PIN=1: the server under test alone on the last core, this process (autocannon) and
 * redis-server on the others, so that req/s is the server's own capacity (its CPU per request).
 * Unpinned (the default, as the targets were set), the three share the cores and req/s is the
 * machine's: the load generator's and Redis's CPU count too.
 */
const PIN = process.env.BENCH_PIN === '1' && cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
const SERVER_CORE = String(cpus().length - 1);
if (PIN) spawnSync('taskset', ['-a', '-cp', `0-${cpus().length - 2}`, String(process.pid)], { stdio: 'ignore' }); // children inherit it
const NS = `bench:${randomBytes(4).toString('hex')}`; // every key of this run starts with it
const children = new Set<ChildProcess>();
let redis: Redis | undefined; // our redis-server's client, for cleanup() on any exit path
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
interface Measured { busy: number; rps: number; p50: number; p99: number; cpuUs: number; perRequest: Map<string, number>; failed: number; inFlight: number }

const freePort = () => new Promise<number>((resolve, reject) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const { port } = srv.address() as { port: number };
    srv.close(() => resolve(port));
  }).on('error', reject);
});

/** Spawns a child and resolves once its stdout matches `ready`; stopped by pid if it isn't in 120 s (busy machine). */
function start(cmd: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  return new Promise<{ proc: ChildProcess; match: RegExpExecArray }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => void stop(proc).then(() => reject(new Error(`${cmd}: not ready in 120 s\n${out}`))), 120_000);
    proc.stdout!.on('data', (d: Buffer) => {
      const match = ready.exec((out += d.toString()));
      if (match) (clearTimeout(timer), resolve({ proc, match }));
    });
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${cmd} exited with ${code}\n${out}`))));
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

/** A server process for one scenario; stopped by pid in cleanup(), also on failure. */
async function startServer(mode: string, redisUrl: string, profile?: string, root = ROOT): Promise<{ url: string; pid: number }> {
  const args = [...BENCH_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', 'bench/server.ts', mode, redisUrl, NS];
  const [cmd, argv] = PIN ? ['taskset', ['-c', SERVER_CORE, process.execPath, ...args]] : [process.execPath, args];
  const { proc, match } = await start(cmd, argv, /LISTENING (\d+)/, profile ? { BENCH_CPU_PROFILE: profile } : {}, root);
  return { url: `http://127.0.0.1:${match[1]}`, pid: proc.pid! };
}

const stopServers = () => Promise.all([...children].filter((p) => p.spawnargs.includes('bench/server.ts')).map(stop));

/** One cookie-less request per connection: each connection gets a session of its own (no hot key). */
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
  let next = 0; // setupClient runs once per connection: connection i sends cookie i on every request
  const setupClient = (c: autocannon.Client) => c.setHeaders({ cookie: cookies[next++ % cookies.length] });
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, ...(cookies.length ? { setupClient } : {}) });
}

/** Calls per command, plus Redis's own CPU time (user + sys, µs) under the name "cpu-µs". */
async function redisStats(client: Redis): Promise<Map<string, number>> {
  const text = await client.info('commandstats', 'cpu');
  const stats = new Map([...text.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  const cpu = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)![1]);
  return stats.set('cpu-µs', Math.round((cpu('used_cpu_user') + cpu('used_cpu_sys')) * 1e6));
}

/**
 * Warm-up each scenario, then `rounds` rounds that take the scenarios in turn (so a burst of other
 * load on the machine hits all of them alike); medians over rounds. Redis commands per request:
 * INFO commandstats deltas over the measured rounds / requests completed (so is Redis CPU time).
 */
async function bench(list: { url: string; cookies: string[]; pid: number }[], client: Redis, rounds: number, seconds: number, warmup: number): Promise<Measured[]> {
  for (const s of list) await cannon(s.url, s.cookies, warmup);
  const runs = list.map(() => ({ results: [] as autocannon.Result[], calls: new Map<string, number>(), cpu: 0, wall: 0 }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, s] of list.entries()) {
      await sleep(200); // in-flight requests of the previous run finish before the baseline
      const [before, cpu] = [await redisStats(client), cpuOf(s.pid)];
      const started = performance.now();
      runs[i].results.push(await cannon(s.url, s.cookies, seconds));
      await sleep(200);
      runs[i].cpu += cpuOf(s.pid) - cpu;
      runs[i].wall += (performance.now() - started) * 1_000;
      for (const [cmd, n] of await redisStats(client)) {
        if (cmd !== 'info') runs[i].calls.set(cmd, (runs[i].calls.get(cmd) ?? 0) + n - (before.get(cmd) ?? 0));
      }
    }
  }
  return runs.map(({ results, calls, cpu, wall }) => {
    const total = results.reduce((n, r) => n + r.requests.total, 0);
    return {
      busy: cpu / wall,
      rps: median(results.map((r) => r.requests.average)),
      p50: median(results.map((r) => r.latency.p50)),
      p99: median(results.map((r) => r.latency.p99)),
      cpuUs: cpu / total,
      perRequest: new Map([...calls].filter(([, n]) => n > 0).map(([cmd, n]) => [cmd, n / total])),
      failed: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
      inFlight: (CONNECTIONS * rounds) / total,
    };
  });
}

/**
 * Exact Redis commands per request, free of load and round-boundary effects: `n` requests one
 * after the other on one session (its cookie), INFO commandstats before and after.
 */
async function exactCommands(client: Redis, url: string, cookie: string, n = 200): Promise<Map<string, number>> {
  const before = await redisStats(client);
  for (let i = 0; i < n; i++) {
    const res = await fetch(url, { headers: { cookie } });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    await res.arrayBuffer();
  }
  const after = await redisStats(client);
  return new Map([...after].filter(([cmd]) => cmd !== 'info' && cmd !== 'cpu-µs').map(([cmd, v]) => [cmd, (v - (before.get(cmd) ?? 0)) / n] as [string, number]).filter(([, v]) => v > 0));
}

/** Self time per function (the areas: profileAreas, in the table of (a), (a2) and (b)). */
function summarizeProfile(file: string): string[] {
  type Frame = { functionName: string; url: string; lineNumber: number };
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: number; callFrame: Frame }[]; samples: number[]; timeDeltas: number[] };
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  const all = p.timeDeltas.reduce((a, b) => a + b, 0);
  p.samples.forEach((id, i) => {
    const { functionName: fn, url, lineNumber } = frames.get(id)!;
    const key = `${fn || '(anonymous)'} ${url ? `${url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')}:${lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + p.timeDeltas[i]);
  });
  const top = (n: number, keep = (_: string) => true) =>
    [...self].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `| ${k} | ${((100 * us) / all).toFixed(1)}% |`);
  return ['| top self-time functions | share |', '|---|---|', ...top(12), '', '| top self-time in src/session | share |', '|---|---|', ...top(8, (k) => k.includes('src/session/'))];
}

async function main() {
  const redisPort = await freePort();
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  await start('redis-server', ['--port', `${redisPort}`, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], /Ready to accept/);
  const r = (redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 5_000 }));
  const mem = (key: string) => r.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') as Promise<number>;
  const out: string[] = [];
  try {
    console.error(`namespace ${NS}, ${redisUrl}, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s after ${WARMUP} s warm-up${PIN ? `, server on core ${SERVER_CORE}` : ''}`);
    const scenario = async (mode: string, cookie: string, path = '/bench', seed = '/bench', root = ROOT) => {
      const { url, pid } = await startServer(mode, redisUrl, undefined, root);
      return { url: url + path, pid, cookies: cookie ? await seedCookies(url + seed, cookie) : [] };
    };
    // Servers start in parallel (saves ~10 s of ts-node start-up); only one is under load at a time.
    const scenarios = await Promise.all([scenario('nest-session', 'BOOKSTORE_SESSION'), scenario('nest-session', 'BOOKSTORE_SESSION', '/bench/read'),
      scenario('nest-plain', ''), scenario('nest-session', '', '/bench/plain'), scenario('nest-express-session', 'connect.sid'),
      scenario('express', 'connect.sid'), ...(COMPARE ? [scenario('nest-session', 'BOOKSTORE_SESSION', '/bench', '/bench', COMPARE),
        scenario('nest-session', 'BOOKSTORE_SESSION', '/bench/read', '/bench', COMPARE)] : [])]);
    // Exact counts first, while every server is idle (later, requests of a loaded round may still be in flight).
    const [exactA, exactA2] = [await exactCommands(r, scenarios[0].url, scenarios[0].cookies[0]), await exactCommands(r, scenarios[1].url, scenarios[1].cookies[1])];
    const all = await bench(scenarios, r, ROUNDS, SECONDS, WARMUP);
    const [a, a2, b, , c, d] = all;
    const names = ['(a) Nest + SessionModule, read+write', '(a2) Nest + SessionModule, read only', '(b) Nest, no session',
      '(b2) Nest + SessionModule, route without @Session()', '(c) Nest + express-session/connect-redis', '(d) express + express-session/connect-redis',
      `(a) at ${COMPARE}`, `(a2) at ${COMPARE}`];
    // Server CPU per request is the figure least disturbed by other load on the machine.
    // "server busy": its CPU time over the wall time of its rounds; near 100 % the server, not the load generator, sets the pace.
    out.push('| scenario | req/s | ÷ (b) | p50 ms | p99 ms | server CPU µs/req | CPU over (b) | server busy | non-2xx/errors |', '|---|---|---|---|---|---|---|---|---|');
    all.forEach((m, i) => out.push(`| ${names[i]} | ${m.rps.toFixed(0)} | ${(m.rps / b.rps).toFixed(2)} | ${m.p50} | ${m.p99} | ${m.cpuUs.toFixed(0)} | ${(m.cpuUs - b.cpuUs).toFixed(0)} | ${(100 * m.busy).toFixed(0)} % | ${m.failed} |`));

    const check = (label: string, pass: boolean, detail: string) => out.push(`| ${label} | ${detail} | ${pass ? 'PASS' : 'MISS'} |`);
    const per = (cmd: string) => exactA.get(cmd) ?? 0;
    const [ours, peers] = [a.cpuUs - b.cpuUs, c.cpuUs - b.cpuUs];
    out.push('', '| target (issue 9) | measured | result |', '|---|---|---|');
    check('(a) ≥ 1.0 × (c) req/s', a.rps >= c.rps, `${(a.rps / c.rps).toFixed(2)} ×`);
    check('(a) server CPU over (b) ≤ (c) over (b)', ours <= peers, `${ours.toFixed(0)} µs vs ${peers.toFixed(0)} µs per request`);
    check('(a2) ≥ 0.95 × (b) req/s', a2.rps >= 0.95 * b.rps, `${(a2.rps / b.rps).toFixed(2)} ×`);
    // Only HGETALL and EVALSHA travel; EXISTS/HSET/EXPIRE run inside the Lua script but are counted too.
    // Counted on 200 sequential requests (exactCommands); the loaded rounds below also count requests in flight at round ends.
    check('(a) exactly one HGETALL and one EVALSHA per request', per('hgetall') === 1 && per('evalsha') + per('eval') === 1,
      `HGETALL ${per('hgetall')}, EVALSHA ${per('evalsha')} per request (200 sequential requests)`);
    const exact = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    out.push(`| (for context) (a) / (b) req/s, (d) / (c) req/s | ${(a.rps / b.rps).toFixed(2)} ×, ${(d.rps / c.rps).toFixed(2)} × | |`, '',
      `Exact commands per request, 200 sequential requests on one session: (a) ${exact(exactA)}; (a2) ${exact(exactA2)}.`, '',
      `| under load (+ up to ${a.inFlight.toFixed(3)} in flight at round ends) | Redis commands (INFO commandstats) | Redis CPU µs |`, '|---|---|---|');
    for (const [name, m] of [['(a)', a], ['(a2)', a2], ['(c)', c], ['(d)', d]] as const) out.push(commandRow(name, m));
    const [sessKey] = await r.keys(`${NS}:sess:*`);
    const bytes = [await mem(`${NS}:sessions:${scenarios[0].cookies[0].split('=')[1]}`), sessKey ? await mem(sessKey) : NaN];

    await stopServers();
    // Cart-size series: a server per size, 50 sessions seeded with an N-line cart; 3 rounds x 3 s.
    const sizes = [1, 10, 25, 50];
    const carts = await Promise.all(sizes.map((n) => scenario('nest-session', 'BOOKSTORE_SESSION', '/bench/cart', `/seed/${n}`)));
    for (const cart of carts) bytes.push(await mem(`${NS}:sessions:${cart.cookies[0].split('=')[1]}`));
    out.push('', '| session content | MEMORY USAGE (bytes) |', '|---|---|', `| ours, \`counter\` only | ${bytes[0]} |`,
      `| connect-redis, \`counter\` only | ${bytes[1]} |`, ...sizes.map((n, i) => `| ours, \`counter\` + ${n}-line cart | ${bytes[i + 2]} |`));
    const cartRuns = await bench(carts, r, 3, 3, WARMUP / 2);
    // Every request changes one line's quantity, so every request saves (EVALSHA ≈ 1 proves it).
    out.push('', '| (a) with cart lines (read, change one line, save) | req/s | p50 ms | p99 ms | server CPU µs/req | EVALSHA per request (+ in flight) |', '|---|---|---|---|---|---|');
    cartRuns.forEach((m, i) => out.push(`| ${sizes[i]} | ${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${m.cpuUs.toFixed(0)} | ${(m.perRequest.get('evalsha') ?? 0).toFixed(3)} (≤ +${m.inFlight.toFixed(3)}) |`));

    await stopServers();
    if (process.env.BENCH_PROFILE === '1') {
      // (a), then (a2) and (b) the same way: what a session read and a save cost beyond the bare route, by area.
      const dir = mkdtempSync(join(tmpdir(), 'session-prof-'));
      const profiled = [] as { file: string; requests: number }[];
      for (const [name, mode, path, cookie] of [['a', 'nest-session', '/bench', 'BOOKSTORE_SESSION'], ['a2', 'nest-session', '/bench/read', 'BOOKSTORE_SESSION'], ['b', 'nest-plain', '/bench', '']]) {
        const file = join(dir, `${name}.cpuprofile`);
        const { url, pid } = await startServer(mode, redisUrl, file); // profiles from SIGUSR2 to SIGTERM
        const cookies = cookie ? await seedCookies(`${url}/bench`, cookie) : [];
        await cannon(url + path, cookies, WARMUP); // the steady state, not the JIT's warm-up
        process.kill(pid, 'SIGUSR2');
        profiled.push({ file, requests: (await cannon(url + path, cookies, SECONDS)).requests.total });
        await stopServers();
      }
      out.push('', `CPU profile of (a), ${SECONDS} s under load after ${WARMUP} s of warm-up: ${profiled[0].file}`, '', ...summarizeProfile(profiled[0].file));
      const [pa, pa2, pb] = profiled.map((p) => profileAreas(p.file, p.requests));
      const busy = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
      const rows = [...new Set([...pa.keys(), ...pa2.keys(), ...pb.keys()])]
        .map((k) => [k, pb.get(k) ?? 0, pa2.get(k) ?? 0, pa.get(k) ?? 0] as const)
        .filter(([, b0, r, w]) => Math.max(Math.abs(r - b0), Math.abs(w - b0)) >= 1)
        .sort((x, y) => y[3] - y[1] - (x[3] - x[1]));
      const f = (v: number, base: number) => `${v.toFixed(1)} (${v - base >= 0 ? '+' : ''}${(v - base).toFixed(1)})`;
      out.push('', `The same for (a2) and (b) (${profiled.map((p) => p.file).join(', ')}): CPU µs per request by area (the profiler adds its own cost), areas that differ by ≥ 1 µs:`, '',
        '| area | (b) no session | (a2) read only (± over (b)) | (a) read+write (± over (b)) |', '|---|---|---|---|',
        ...rows.map(([k, b0, r, w]) => `| ${k} | ${b0.toFixed(1)} | ${f(r, b0)} | ${f(w, b0)} |`),
        `| all (busy time) | ${busy(pb).toFixed(1)} | ${f(busy(pa2), busy(pb))} | ${f(busy(pa), busy(pb))} |`);
    }
    console.log(out.join('\n'));
    if (process.env.BENCH_DOCS !== '0') writeDocs(out);
  } finally {
    await cleanup();
  }
}

const commandRow = (name: string, m: Measured) => {
  const cmds = [...m.perRequest].filter(([k]) => k !== 'cpu-µs').map(([k, v]) => `${k} ${v.toFixed(3)}`);
  return `| ${name} | ${cmds.join(', ') || 'none'} | ${(m.perRequest.get('cpu-µs') ?? 0).toFixed(1)} |`;
};

/** Replaces the generated block of docs/benchmarks.md (between the markers) with this run's tables. */
function writeDocs(out: string[]): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const [begin, end] = ['<!-- bench:session:begin -->', '<!-- bench:session:end -->'];
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || 'unknown';
  const block = [begin, `Last \`npm run bench:session\`: ${new Date().toISOString().slice(0, 16)} UTC, commit ${commit}, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}, ${ROUNDS} × ${SECONDS} s rounds after ${WARMUP} s of warm-up, ${PIN ? `server pinned to core ${SERVER_CORE}, load generator and Redis on the others` : 'no CPU pinning'}, servers run with node ${BENCH_NODE_FLAGS.join(' ') || '(no flags)'}.`, '', ...out, end].join('\n');
  const at = text.indexOf(begin);
  const next = at >= 0 ? text.slice(0, at) + block + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  console.error(`tables written to ${file}`);
}

/** Deletes this run's keys (our own redis-server, so KEYS is harmless) and stops every child by pid. */
async function cleanup(): Promise<void> {
  const keys = (await redis?.keys(`${NS}:*`).catch(() => [])) ?? [];
  for (let i = 0; i < keys.length; i += 500) await redis!.del(...keys.slice(i, i + 500));
  redis?.disconnect();
  redis = undefined;
  await Promise.all([...children].map(stop));
}

const watchdog = setTimeout(() => void cleanup().finally(() => process.exit(2)), 15 * 60_000); // bound the whole run (a busy machine is slow)
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
main().then(() => clearTimeout(watchdog), async (err) => {
  console.error(err);
  await cleanup();
  process.exit(1);
});
