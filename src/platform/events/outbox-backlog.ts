import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY } from '../observability/http-metrics';

/**
 * Events not yet delivered, per registered destination: `outbox_backlog{destination}` when
 * scraped, and readiness's detail. A broker backlog that only grows means no instance with
 * RABBITMQ_URL is running (or none reaches the broker).
 */
@Injectable()
export class OutboxBacklog {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const waiting = () => this.waiting();
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox events not yet delivered, per destination',
      labelNames: ['destination'],
      registers: [registry],
      async collect(this: Gauge) {
        this.reset();
        for (const [destination, n] of Object.entries(await waiting())) {
          this.set({ destination }, n);
        }
      },
    });
  }

  /** Pending deliveries by destination, every registered destination included (0 too). */
  async waiting(): Promise<Record<string, number>> {
    if (!this.db.isInitialized) return {};
    const rows = await this.db.query<Array<{ destination: string; n: number }>>(
      `SELECT r.name AS destination, count(d.event_id)::int AS n FROM events.destinations r
         LEFT JOIN events.deliveries d ON d.destination = r.name AND d.delivered_at IS NULL
        GROUP BY r.name ORDER BY r.name DESC`,
    );
    return Object.fromEntries(rows.map((r) => [r.destination, r.n]));
  }
}
