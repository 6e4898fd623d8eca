// Shared by the app benchmarks (app-bench.ts, app-bench-embedded.ts).
import { readFileSync } from 'node:fs';

/** A process's memory from /proc/<pid>/status, in MB: VmRSS now, or VmHWM (its peak). */
export const procMemMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

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
