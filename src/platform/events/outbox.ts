import type { EntityManager } from 'typeorm';

/** An integration event: immutable, past tense, ids and values only. */
export interface OutboxEvent {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** Handles one event inside the relay's transaction; must be idempotent (at-least-once). */
export type OutboxListener = (payload: Record<string, unknown>, tx: EntityManager) => Promise<void>;

/** Records an event in the caller's business transaction; the relay delivers it after commit. */
export async function publishInTransaction(tx: EntityManager, event: OutboxEvent): Promise<void> {
  await tx.query('INSERT INTO events.outbox (type, payload) VALUES ($1, $2)', [
    event.type,
    JSON.stringify(event.payload),
  ]);
}
