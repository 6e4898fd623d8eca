import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { DataSource, QueryRunner } from 'typeorm';
import { METRICS_REGISTRY } from '../observability/http-metrics';
import { OutboxListener } from './outbox';
import { registerBacklogGauge } from './outbox-backlog';

export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');

export interface OutboxSettings {
  pollIntervalMs: number;
  batchSize: number;
  /** Retry n waits baseDelay × 2^(n-1), at most maxDelay. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
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
 * Delivers outbox events to in-process listeners after commit, and at start-up whatever an
 * earlier process left undelivered. Rows are claimed FOR UPDATE SKIP LOCKED, so several
 * instances never deliver one event at the same time; each event's listener work and its
 * completion commit together (a savepoint undoes a failed listener's writes).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly listeners = new Map<string, Array<{ name: string; fn: OutboxListener }>>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OUTBOX_SETTINGS) private readonly settings: OutboxSettings,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    registerBacklogGauge(registry, db);
  }

  on(type: string, name: string, fn: OutboxListener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), { name, fn }]);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Deliver soon: called after a commit that published events. */
  kick(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: delivers due events in batches until none are left; returns how many it took. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const delivered = await this.relayBatch();
      total += delivered;
      if (delivered < this.settings.batchSize || this.stopped) return total;
    }
  }

  private schedule(delayMs: number): void {
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

  private async relayBatch(): Promise<number> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows: Row[] = await runner.manager.query(
        `SELECT id, type, payload, attempts, created_at, trace_context FROM events.outbox
          WHERE completed_at IS NULL AND available_at <= now()
          ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.settings.batchSize],
      );
      for (const row of rows) {
        // Each delivery continues the trace of the request that published the event.
        const parent = propagation.extract(ROOT_CONTEXT, row.trace_context ?? {});
        await context.with(parent, () => this.deliver(runner, row));
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

  private async deliver(runner: QueryRunner, row: Row): Promise<void> {
    await runner.query('SAVEPOINT delivery');
    try {
      for (const listener of this.listeners.get(row.type) ?? []) {
        await listener.fn(row.payload, runner.manager, {
          id: row.id,
          type: row.type,
          createdAt: row.created_at,
        });
      }
      await runner.query('UPDATE events.outbox SET completed_at = now() WHERE id = $1', [row.id]);
    } catch (err) {
      await runner.query('ROLLBACK TO SAVEPOINT delivery');
      const delay = Math.min(
        this.settings.retryBaseDelayMs * 2 ** row.attempts,
        this.settings.retryMaxDelayMs,
      );
      this.logger.warn(
        `Event ${row.type} ${row.id} failed (attempt ${row.attempts + 1}); retry in ${delay} ms`,
      );
      await runner.query(
        `UPDATE events.outbox SET attempts = attempts + 1, last_error = $2,
           available_at = now() + make_interval(secs => $3) WHERE id = $1`,
        [row.id, String(err).slice(0, 500), delay / 1_000],
      );
    }
  }
}
