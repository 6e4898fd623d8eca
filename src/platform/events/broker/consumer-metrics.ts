import { Counter, Registry } from 'prom-client';

/** The consumer's counters, labelled by message type (`unknown` for a type nobody handles). */
export class ConsumerMetrics {
  readonly consumed: Counter<'type' | 'outcome'>;
  readonly retried: Counter<'type'>;
  readonly deadLettered: Counter<'type'>;

  constructor(registry: Registry) {
    this.consumed = new Counter({
      name: 'events_consumed_total',
      help: 'Broker messages consumed and acked: processed, or skipped as a duplicate event id',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    this.retried = new Counter({
      name: 'events_retried_total',
      help: 'Broker messages whose handling failed and that were sent to a retry queue',
      labelNames: ['type'],
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'events_dead_lettered_total',
      help: 'Broker messages that failed their last attempt and went to the dead-letter queue',
      labelNames: ['type'],
      registers: [registry],
    });
  }
}
