import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const K6_RUN_LIMIT_MS = 180_000;

/** K6_BIN, then the shared tools folder beside the checkout, then `k6` on PATH. */
export function findK6(): string {
  const candidates = [process.env.K6_BIN, join(ROOT, '../shared/tools/k6')];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? 'k6';
}

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
  const args = ['run', '--quiet', '--summary-export', summaryFile];
  args.push('--summary-trend-stats', 'avg,med,p(95),p(99),max');
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  const child = spawn(k6, [...args, join(ROOT, run.script)], { stdio: 'inherit' });
  const limit = setTimeout(() => child.kill('SIGKILL'), K6_RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', (e) =>
      reject(new Error(`could not run k6 (${e.message}): install k6 or set K6_BIN`)),
    );
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** One line from k6's summary export: requests, checks, failures, p95/p99. */
export function summarizeK6(script: string, file: string): string {
  if (!existsSync(file)) return `${script}: no summary (k6 did not finish)`;
  const { metrics } = JSON.parse(readFileSync(file, 'utf8')) as {
    metrics: Record<string, Record<string, number>>;
  };
  const d = metrics.http_req_duration;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return (
    `${script}: ${metrics.http_reqs.count} requests, checks ${pct(metrics.checks.value)} ` +
    `(${metrics.checks.passes} passed, ${metrics.checks.fails} failed), ` +
    `http_req_failed ${pct(metrics.http_req_failed.value)}, ` +
    `p95 ${d['p(95)'].toFixed(1)} ms, p99 ${d['p(99)'].toFixed(1)} ms`
  );
}
