// Shared by the benchmarks.
import Redis from 'ioredis';
import { readFileSync } from 'node:fs';

/** A process's memory from /proc/<pid>/status, in MB: VmRSS now, or VmHWM (its peak). */
export const procMemMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** CPU time (user + sys, µs) a process has used: /proc ticks are 1/100 s (USER_HZ) on Linux. */
export const cpuOf = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((t, x) => t + Number(x) * 10_000, 0);

/**
 * Node flags for every server a benchmark starts: V8 starts the young generation at 1 MB and grows
 * it by what survives, so two fresh processes of the same server can settle at different sizes
 * and differ by up to 70 % in CPU per request (garbage collection is 20 % of it). A fixed 16 MB
 * (V8's own maximum here) makes runs comparable. BENCH_NODE_FLAGS replaces them ('' for none).
 */
export const BENCH_NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--min-semi-space-size=16 --max-semi-space-size=16').split(' ').filter(Boolean);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `main`, then `cleanup` on every way out: success, failure, Ctrl-C, or `limitMs` passing. */
export function runBounded(main: () => Promise<void>, cleanup: () => Promise<void>, limitMs: number): void {
  const watchdog = setTimeout(() => void cleanup().finally(() => process.exit(2)), limitMs);
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  main()
    .then(cleanup)
    .then(
      () => clearTimeout(watchdog),
      async (err) => {
        console.error(err);
        await cleanup();
        process.exit(1);
      },
    );
}

/** Deletes a run's Redis keys, `<prefix>:*` (SCAN, never KEYS); a failure is only reported. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } catch (e) {
    console.error(`Redis cleanup: ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

/**
 * CPU time per request by area, from a V8 `.cpuprofile` of `requests` requests: the app's own
 * code by folder (src/session, modules/cart, platform/http, ...), each package, Node's internals,
 * native code and the garbage collector (idle time left out).
 */
export function profileAreas(file: string, requests: number): Map<string, number> {
  type Frame = { functionName: string; url: string };
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: number; callFrame: Frame }[]; samples: number[]; timeDeltas: number[] };
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const areas = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const { functionName: fn, url } = frames.get(id)!;
    if (fn === '(idle)') return;
    const own = /\/(?:src|dist)\/(session|modules\/[\w-]+|platform\/[\w-]+|[\w-]+)/.exec(url)?.[1];
    const pkg = /node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/.exec(url)?.[1];
    const area = pkg ?? (own ? `app: ${own}` : url.startsWith('node:') ? 'node internals' : url ? 'other' : fn.startsWith('(') ? fn : 'native code (writev, ...)');
    areas.set(area, (areas.get(area) ?? 0) + p.timeDeltas[i] / requests);
  });
  return areas;
}
