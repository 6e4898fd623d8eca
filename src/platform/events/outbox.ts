import { context, propagation } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';

/** An integration event: immutable, past tense, ids and values only. */
export interface OutboxEvent {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** The outbox row behind a delivery: its id is stable across retries (a consumer's dedup key). */
export interface OutboxDelivery {
  readonly id: string;
  readonly type: string;
  readonly createdAt: Date;
}

/** Handles one event inside the relay's transaction; must be idempotent (at-least-once). */
export type OutboxListener = (
  payload: Record<string, unknown>,
  tx: EntityManager,
  delivery: OutboxDelivery,
) => Promise<void>;

/** Records an event in the caller's business transaction; the relay delivers it after commit. */
export async function publishInTransaction(tx: EntityManager, event: OutboxEvent): Promise<void> {
  // The W3C trace context of the publishing request (empty when tracing is off), so the
  // delivery, whenever it happens, continues that trace.
  const traceContext: Record<string, string> = {};
  propagation.inject(context.active(), traceContext);
  await tx.query('INSERT INTO events.outbox (type, payload, trace_context) VALUES ($1, $2, $3)', [
    event.type,
    JSON.stringify(event.payload),
    Object.keys(traceContext).length > 0 ? JSON.stringify(traceContext) : null,
  ]);
}
