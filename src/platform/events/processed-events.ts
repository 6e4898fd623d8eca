import type { EntityManager } from 'typeorm';

/**
 * Records in `tx` that `handler` processes event `eventId`; false if it already has. The
 * record commits with the handler's work, so a redelivery after a crash, a lost ack or a
 * duplicate publish finds it and is skipped; a concurrent duplicate waits on the first one's
 * row lock and then finds it too.
 */
export async function firstProcessing(
  tx: EntityManager,
  handler: string,
  eventId: string,
): Promise<boolean> {
  const rows = await tx.query<unknown[]>(
    `INSERT INTO events.processed_events (handler, event_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [handler, eventId],
  );
  return rows.length > 0;
}
