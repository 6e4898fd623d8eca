import { writeFileSync } from 'node:fs';
import type { AppProcess } from '../support/app-process';
import { lastErrorAfter, latencies, recoveryAfter, upstreamCounts } from './analysis';
import type { NginxProcess } from './nginx';
import { onKilledMaster, Outcome, VUS } from './scenario';

const ms = (n: number) => `${Math.round(n)} ms`;

/** The run in a table for the test log: traffic, errors, both failures and the recovery. */
export function report(outcome: Outcome, nginx: NginxProcess): string {
  const { run, summary, windows, redisKill } = outcome;
  const [appWindow] = windows;
  const recovery = recoveryAfter(run.records, redisKill.window.from, onKilledMaster(redisKill));
  const recovered = !recovery.outage
    ? 'no outage seen'
    : recovery.recoveredMs === undefined
      ? 'never'
      : `+${ms(recovery.recoveredMs)}`;
  const retried = run.orders.filter((o) => o.attempts > 1).length;
  const statuses = Object.entries(summary.byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const upstreams = Object.entries(upstreamCounts(nginx.accessLog()))
    .map(([addr, n]) => `${addr} ${n}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['users / duration', `${VUS} VUs, ${Math.round(run.now() / 1000)} s`],
    ['requests', String(summary.total)],
    ['by status', statuses],
    ['errors', `${summary.errors} (${summary.errorPercent.toFixed(3)} %)`],
    ['errors outside windows', String(summary.outsideWindows.length)],
    [
      'after last window',
      `${summary.afterWindows.total} requests, ${summary.afterWindows.failed} failed`,
    ],
    ['orders placed (201)', `${run.orders.length} (${retried} after a retry)`],
    ['orders unresolved', String(run.unresolved.length)],
    [
      'app kill',
      `at ${ms(appWindow.from)}, last error +${ms(lastErrorAfter(run.records, appWindow))}`,
    ],
    [
      'Redis master kill',
      `at ${ms(redisKill.window.from)}, port ${redisKill.killedPort}, ` +
        `replica promoted after ${ms(redisKill.failoverMs)}`,
    ],
    [
      'Redis recovery',
      `sessions on it served again ${recovered}, ` +
        `last error +${ms(lastErrorAfter(run.records, redisKill.window))} ` +
        `(${redisKill.affected.size} users on that master)`,
    ],
    ['upstreams', upstreams],
    ['p50/p95/max', latencies(run.records).join('; ')],
    ['anomalies', String(run.anomalies.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['topology run', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

/** Every request record and the apps' logs, as JSON in `file` (TOPOLOGY_DUMP), for digging. */
export function dump(file: string, outcome: Outcome, apps: AppProcess[]): void {
  const { run, windows, redisKill } = outcome;
  const data = {
    windows,
    redisKill: { ...redisKill, affected: [...redisKill.affected] },
    anomalies: run.anomalies,
    orders: run.orders,
    unresolved: run.unresolved,
    records: run.records,
    appLogs: apps.map((a) => a.output()),
  };
  writeFileSync(file, JSON.stringify(data));
}
