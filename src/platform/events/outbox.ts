import { context, propagation } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';

/**
 * Where the relay delivers events; each has its own delivery mark per event
 * (`events.deliveries`), so one destination's outage or absence never marks another done.
 * - `in-process`: this app's listeners (notifications), run inside the relay's transaction;
 *   every instance serves it.
 * - `broker`: RabbitMQ; served, and registered in `events.destinations` at start, only by
 *   instances with RABBITMQ_URL. An event needs it iff that registration preceded the event.
 * A new destination is one more name here, served by the instances that can reach it.
 */
export type OutboxDestination = 'in-process' | 'broker';

/**
 * What a listener throws when its destination as a whole cannot be reached now, rather than
 * this one event failing: the relay gives the rest of the batch the same retry without
 * trying each (a black-holed broker would otherwise cost every event its own timeout).
 */
export class DestinationUnavailableError extends Error {
  override readonly name = 'DestinationUnavailableError';
}

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

/**
 * Handles one event for one destination inside the relay's transaction (its writes commit
 * with the delivery mark); must be idempotent: delivery is at least once.
 */
export type OutboxListener = (
  payload: Record<string, unknown>,
  tx: EntityManager,
  delivery: OutboxDelivery,
) => Promise<void>;

/**
 * Records an event in the caller's business transaction; the relay delivers it after commit.
 * The table's trigger adds a pending delivery for every registered destination.
 */
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
