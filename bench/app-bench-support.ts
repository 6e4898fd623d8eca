// Shared by the benchmarks.
import Redis from 'ioredis';
import { readFileSync } from 'node:fs';

/** A process's memory from /proc/<pid>/status, in MB: VmRSS now, or VmHWM (its peak). */
export const procMemMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** CPU time (user + sys, µs) a process has used: /proc ticks are 1/100 s (USER_HZ) on Linux. */
export const cpuOf = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((t, x) => t + Number(x) * 10_000, 0);

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
