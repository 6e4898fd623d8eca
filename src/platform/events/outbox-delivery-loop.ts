import { Logger } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { DataSource, QueryRunner } from 'typeorm';
import { DestinationUnavailableError, OutboxDestination, OutboxListener } from './outbox';

export interface OutboxSettings {
  pollIntervalMs: number;
  batchSize: number;
  /** Retry n waits baseDelay × 2^(n-1), at most maxDelay. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

export interface NamedListener {
  name: string;
  fn: OutboxListener;
}

interface Row {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
  trace_context: Record<string, string> | null;
}

/**
 * Delivers one destination's pending events, polling and when kicked. Deliveries are claimed
 * FOR UPDATE SKIP LOCKED, so several instances never deliver one event to one destination at
 * the same time; each event's listener work and its delivery mark commit together (a
 * savepoint undoes a failed listener's writes, and the retry is scheduled with backoff).
 */
export class DeliveryLoop {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    readonly destination: OutboxDestination,
    private readonly listeners: (type: string) => readonly NamedListener[],
    private readonly settings: OutboxSettings,
  ) {
    this.logger = new Logger(`OutboxRelay ${destination}`);
  }

  schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // A pass serves many requests' events: it belongs to no request's trace.
      this.running ??= context
        .with(ROOT_CONTEXT, () => this.drain())
        .catch((err: unknown) => this.logger.warn(`Outbox relay pass failed: ${String(err)}`))
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
          this.schedule(this.settings.pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Delivers due events in batches until none are left; returns how many it took. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const delivered = await this.relayBatch();
      total += delivered;
      if (delivered < this.settings.batchSize || this.stopped) return total;
    }
  }

  private async relayBatch(): Promise<number> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows: Row[] = await runner.manager.query(
        `SELECT o.id, o.type, o.payload, o.created_at, o.trace_context, d.attempts
           FROM events.deliveries d JOIN events.outbox o ON o.id = d.event_id
          WHERE d.destination = $1 AND d.delivered_at IS NULL AND d.available_at <= now()
          ORDER BY o.created_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED`,
        [this.destination, this.settings.batchSize],
      );
      for (const [i, row] of rows.entries()) {
        // Each delivery continues the trace of the request that published the event.
        const parent = propagation.extract(ROOT_CONTEXT, row.trace_context ?? {});
        const unavailable = await context.with(parent, () => this.deliver(runner, row));
        if (unavailable) {
          await this.defer(runner, rows.slice(i + 1), unavailable);
          break;
        }
      }
      await runner.commitTransaction();
      return rows.length;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }

  /** Delivers one event; when its destination is down as a whole, returns that error. */
  private async deliver(
    runner: QueryRunner,
    row: Row,
  ): Promise<DestinationUnavailableError | undefined> {
    const delivery = { id: row.id, type: row.type, createdAt: row.created_at };
    let current = '';
    await runner.query('SAVEPOINT delivery');
    try {
      for (const { name, fn } of this.listeners(row.type)) {
        current = name;
        await fn(row.payload, runner.manager, delivery);
      }
      await runner.query(
        `UPDATE events.deliveries SET delivered_at = now()
          WHERE event_id = $1 AND destination = $2`,
        [row.id, this.destination],
      );
    } catch (err) {
      await runner.query('ROLLBACK TO SAVEPOINT delivery');
      this.logger.warn(
        `Event ${row.type} ${row.id} failed in ${current || 'its delivery mark'} ` +
          `(attempt ${row.attempts + 1}); retry in ${this.retryDelayMs(row)} ms`,
      );
      await this.retryLater(runner, [row], err);
      if (err instanceof DestinationUnavailableError) return err;
    }
    return undefined;
  }

  /** The rest of a batch whose destination is down: each gets its retry, untried. */
  private async defer(runner: QueryRunner, rows: Row[], err: unknown): Promise<void> {
    if (rows.length === 0) return;
    this.logger.warn(`${rows.length} more events wait for ${this.destination} too`);
    await this.retryLater(runner, rows, err);
  }

  /** Counts an attempt of each row, with the error that ended it, and schedules its retry. */
  private async retryLater(runner: QueryRunner, rows: Row[], err: unknown): Promise<void> {
    await runner.query(
      `UPDATE events.deliveries d SET attempts = d.attempts + 1, last_error = $3,
              available_at = now() + make_interval(secs => r.delay_ms / 1000.0)
         FROM unnest($1::uuid[], $4::float8[]) AS r(id, delay_ms)
        WHERE d.event_id = r.id AND d.destination = $2`,
      [
        rows.map((r) => r.id),
        this.destination,
        String(err).slice(0, 500),
        rows.map((r) => this.retryDelayMs(r)),
      ],
    );
  }

  private retryDelayMs(row: Row): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.settings;
    return Math.min(retryBaseDelayMs * 2 ** row.attempts, retryMaxDelayMs);
  }
}
