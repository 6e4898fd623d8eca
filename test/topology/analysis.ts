import type { RequestRecord } from './load-types';

/** A time span (driver clock, ms) in which a failure was injected and errors are allowed. */
export interface FailureWindow {
  name: string;
  from: number;
  to: number;
}

/** What a client may see while an instance or a Redis master dies: the proxy's or the app's. */
export const TOLERATED_STATUSES = [0, 502, 503];

export const isSuccess = (r: RequestRecord) => r.status >= 200 && r.status < 300;

const overlaps = (r: RequestRecord, w: FailureWindow) => r.start <= w.to && r.end >= w.from;

export interface Summary {
  total: number;
  byStatus: Record<string, number>;
  errors: number;
  errorPercent: number;
  /** Failed requests that overlap no failure window. */
  outsideWindows: RequestRecord[];
  /** Failed requests with a status no failure explains (e.g. 400, 500, 504). */
  untolerated: RequestRecord[];
  /** Requests that started after the last window ended, and how many of those failed. */
  afterWindows: { total: number; failed: number };
}

export function summarize(records: readonly RequestRecord[], windows: FailureWindow[]): Summary {
  const byStatus: Record<string, number> = {};
  for (const r of records) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const failed = records.filter((r) => !isSuccess(r));
  const lastEnd = Math.max(...windows.map((w) => w.to));
  const after = records.filter((r) => r.start > lastEnd);
  return {
    total: records.length,
    byStatus,
    errors: failed.length,
    errorPercent: records.length === 0 ? 0 : (100 * failed.length) / records.length,
    outsideWindows: failed.filter((r) => !windows.some((w) => overlaps(r, w))),
    untolerated: failed.filter((r) => !TOLERATED_STATUSES.includes(r.status)),
    afterWindows: { total: after.length, failed: after.filter((r) => !isSuccess(r)).length },
  };
}

/** ms from the window's start to the end of its last failed request (0: nothing failed). */
export function lastErrorAfter(records: readonly RequestRecord[], window: FailureWindow): number {
  const inWindow = records.filter((r) => !isSuccess(r) && overlaps(r, window));
  return inWindow.length === 0 ? 0 : Math.max(...inWindow.map((r) => r.end)) - window.from;
}

/**
 * How long a failure at `from` kept the requests it could affect (`affected`, e.g. session
 * requests of users whose session lives on the killed master) from succeeding: ms from `from`
 * to the first success of such a request that started after one of them had failed. Counting
 * from the first failure, not from `from`, keeps requests that got in just before the kill
 * landed out of it. undefined if none failed (`outage` false) or none succeeded afterwards.
 */
export function recoveryAfter(
  records: readonly RequestRecord[],
  from: number,
  affected: (r: RequestRecord) => boolean,
): { outage: boolean; recoveredMs?: number } {
  const relevant = records.filter((r) => r.start >= from && affected(r));
  const failures = relevant.filter((r) => !isSuccess(r)).map((r) => r.end);
  if (failures.length === 0) return { outage: false };
  const seen = Math.min(...failures);
  const ends = relevant.filter((r) => r.start >= seen && isSuccess(r)).map((r) => r.end);
  return { outage: true, recoveredMs: ends.length === 0 ? undefined : Math.min(...ends) - from };
}

/** Requests per upstream address from nginx's access log (`<status>|<upstreams>|<statuses>`). */
export function upstreamCounts(accessLog: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of accessLog.split('\n')) {
    const upstream = line.split('|')[1];
    if (!upstream) continue;
    // A retried request lists every upstream it tried: "a:1, b:2".
    for (const addr of upstream
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      counts[addr] = (counts[addr] ?? 0) + 1;
    }
  }
  return counts;
}

export function describeRecord(r: RequestRecord): string {
  const error = r.error ? ` (${r.error})` : '';
  return `vu ${r.vu} ${r.route} ${r.status}${error} at ${Math.round(r.start)}–${Math.round(r.end)} ms`;
}

/** p50 / p95 / max duration per route, e.g. `POST /api/orders 45/310/1200 ms`. */
export function latencies(records: readonly RequestRecord[]): string[] {
  const byRoute = new Map<string, number[]>();
  for (const r of records) {
    const list = byRoute.get(r.route) ?? [];
    list.push(r.end - r.start);
    byRoute.set(r.route, list);
  }
  return [...byRoute].map(([route, durations]) => {
    const sorted = durations.sort((a, b) => a - b);
    const at = (p: number) =>
      Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);
    return `${route} ${at(0.5)}/${at(0.95)}/${at(1)} ms`;
  });
}
