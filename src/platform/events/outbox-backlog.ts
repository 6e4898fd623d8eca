import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** `outbox_backlog`: events not yet delivered, counted when scraped. */
export function registerBacklogGauge(registry: Registry, db: DataSource): void {
  new Gauge({
    name: 'outbox_backlog',
    help: 'Outbox events not yet delivered',
    registers: [registry],
    async collect(this: Gauge) {
      this.set(await countBacklog(db));
    },
  });
}

async function countBacklog(db: DataSource): Promise<number> {
  if (!db.isInitialized) return 0;
  const [row] = await db.query<Array<{ n: number }>>(
    'SELECT count(*)::int AS n FROM events.outbox WHERE completed_at IS NULL',
  );
  return row.n;
}
