import type { Channel, ConsumeMessage } from 'amqplib';
import type { ConsumerQueues } from './broker.settings';

/** The queue a message waits in after failing attempt k (1 ≤ k < maxAttempts). */
export const retryQueue = (q: ConsumerQueues, k: number) => `${q.queue}.retry.${k}`;

/** Grows ×4 per attempt: 1 s, 4 s, 16 s, 64 s with the defaults. */
export const retryDelayMs = (q: ConsumerQueues, k: number) => q.retryDelayMs * 4 ** (k - 1);

/**
 * Declares, idempotently, the consumer's queues: the work queue bound to the exchange, one TTL
 * queue per retry whose expired messages go back to the work queue (through the default
 * exchange, so no other queue bound to the topic sees them twice), and the dead-letter queue
 * that the work queue's rejections go to. A queue declared earlier with other arguments (a
 * changed retry delay) fails here with PRECONDITION_FAILED, naming it.
 */
export async function declareConsumerQueues(
  channel: Channel,
  exchange: string,
  q: ConsumerQueues,
  routingKeys: readonly string[],
): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(q.deadLetterQueue, { durable: true });
  await channel.assertQueue(q.queue, {
    durable: true,
    deadLetterExchange: '',
    deadLetterRoutingKey: q.deadLetterQueue,
  });
  for (let k = 1; k < q.maxAttempts; k++) {
    await channel.assertQueue(retryQueue(q, k), {
      durable: true,
      messageTtl: retryDelayMs(q, k),
      deadLetterExchange: '',
      deadLetterRoutingKey: q.queue,
    });
  }
  for (const key of routingKeys) await channel.bindQueue(q.queue, exchange, key);
}

interface Death {
  queue?: string;
  reason?: string;
}

/**
 * Which attempt this delivery is, from the broker's `x-death` record: one more than the last
 * retry queue the message expired from. Counting where it expired (the broker writes that
 * entry itself) rather than the entries' counts works on RabbitMQ 3.x, which keeps an
 * `x-death` a client republished, and on 4.x, which ignores it. Entries from before the
 * message's last rejection to the dead-letter queue belong to an earlier life: a message
 * replayed from there gets all its attempts again.
 */
export function attemptOf(message: Pick<ConsumeMessage, 'properties'>, q: ConsumerQueues): number {
  const deaths = (message.properties.headers?.['x-death'] ?? []) as Death[];
  const prefix = `${q.queue}.retry.`;
  let retried = 0;
  for (const death of deaths) {
    if (death.queue === q.queue && death.reason === 'rejected') break;
    if (death.reason !== 'expired' || !death.queue?.startsWith(prefix)) continue;
    retried = Math.max(retried, Number(death.queue.slice(prefix.length)) || 0);
  }
  return retried + 1;
}
