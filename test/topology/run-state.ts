import { performance } from 'node:perf_hooks';
import type { DriverOptions, PlacedOrder, RequestRecord, UnresolvedOrder } from './load-types';

/** What one load run has seen so far, on its own clock; shared by all its users. */
export class RunState {
  readonly records: RequestRecord[] = [];
  readonly orders: PlacedOrder[] = [];
  readonly unresolved: UnresolvedOrder[] = [];
  readonly anomalies: string[] = [];
  readonly deadline: number;
  /** Re-reads and order retries may run past the deadline, but not past this. */
  readonly hardDeadline: number;
  readonly timeoutMs: number;
  stopped = false;
  private readonly t0 = performance.now();

  constructor(private readonly options: DriverOptions) {
    this.deadline = options.durationMs;
    this.timeoutMs = options.requestTimeoutMs ?? 5_000;
    this.hardDeadline = options.durationMs + 3 * this.timeoutMs;
  }

  now = (): number => performance.now() - this.t0;

  /** No new step once stopped, past the deadline or over the request cap. */
  finished(): boolean {
    return (
      this.stopped || this.now() >= this.deadline || this.records.length >= this.options.maxRequests
    );
  }
}
