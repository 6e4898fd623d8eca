// Running the k6 scripts: shared by `npm run test:load` (run-k6.ts) and `npm run test:compose`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export { findK6, K6_INSTALL_HINT } from '../support/k6';

const ROOT = join(__dirname, '../..');
const K6_RUN_LIMIT_MS = 180_000;

export interface K6Run {
  script: string;
  env: Record<string, string>;
}

/** Runs one script with its thresholds against `baseUrl`; resolves with k6's exit code. */
export function runK6(
  k6: string,
  run: K6Run,
  baseUrl: string,
  summaryFile: string,
): Promise<number> {
  const env = { BASE_URL: baseUrl, ...run.env };
  // k6's REST API on a free port: another k6 on the machine may hold the default, 6565.
  const args = ['run', '--quiet', '--address', '127.0.0.1:0', '--summary-export', summaryFile];
  args.push('--summary-trend-stats', 'avg,med,p(95),p(99),max');
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  const child = spawn(k6, [...args, join(ROOT, run.script)], { stdio: 'inherit' });
  const limit = setTimeout(() => child.kill('SIGKILL'), K6_RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`could not run ${k6}: ${e.message}`)));
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

export interface K6Summary {
  metrics: Record<string, Record<string, number> | undefined>;
}

export const readSummary = (file: string): K6Summary | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as K6Summary) : undefined;

/** One line from k6's summary export: requests, checks, failures, latency, orders counted. */
export function summarize(script: string, summary: K6Summary | undefined): string {
  if (!summary) return `${script}: no summary (k6 did not finish)`;
  const { metrics } = summary;
  const d = metrics.http_req_duration!;
  const checks = metrics.checks!;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return (
    `${script}: ${metrics.http_reqs!.count} requests, checks ${pct(checks.value)} ` +
    `(${checks.passes} passed, ${checks.fails} failed), ` +
    `http_req_failed ${pct(metrics.http_req_failed!.value)}, ` +
    `p95 ${d['p(95)'].toFixed(1)} ms, p99 ${d['p(99)'].toFixed(1)} ms, max ${d.max.toFixed(1)} ms, ` +
    `${metrics.orders_created?.count ?? 0} orders (201) of ${metrics.units_ordered?.count ?? 0} units`
  );
}

export const summarizeK6 = (script: string, file: string): string =>
  summarize(script, readSummary(file));
