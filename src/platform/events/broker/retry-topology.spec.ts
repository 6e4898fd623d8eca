import type { ConsumerQueues } from './broker.settings';
import { attemptOf, retryDelayMs, retryQueue } from './retry-topology';

const q: ConsumerQueues = {
  queue: 'orders',
  deadLetterQueue: 'orders.dlq',
  maxAttempts: 5,
  retryDelayMs: 1_000,
};
const withDeaths = (deaths: object[] | undefined) => ({
  properties: { headers: deaths ? { 'x-death': deaths } : {} },
});
const expired = (k: number, count = 1) => ({
  queue: `orders.retry.${k}`,
  reason: 'expired',
  count,
});

describe('retry topology', () => {
  it('names one TTL queue per retry, each waiting 4 times longer', () => {
    expect([1, 2, 3, 4].map((k) => retryQueue(q, k))).toEqual([
      'orders.retry.1',
      'orders.retry.2',
      'orders.retry.3',
      'orders.retry.4',
    ]);
    expect([1, 2, 3, 4].map((k) => retryDelayMs(q, k))).toEqual([1_000, 4_000, 16_000, 64_000]);
  });

  it('counts a first delivery as attempt 1', () => {
    expect(attemptOf(withDeaths(undefined) as never, q)).toBe(1);
    expect(attemptOf({ properties: { headers: undefined } } as never, q)).toBe(1);
  });

  it('counts from the last retry queue the message expired from', () => {
    // RabbitMQ 3.x keeps every entry (most recent first); 4.x only the broker's latest.
    expect(attemptOf(withDeaths([expired(2), expired(1)]) as never, q)).toBe(3);
    expect(attemptOf(withDeaths([expired(2)]) as never, q)).toBe(3);
    expect(attemptOf(withDeaths([expired(4)]) as never, q)).toBe(5);
  });

  it("ignores other queues' and other reasons' entries", () => {
    const foreign = [
      { queue: 'other.retry.3', reason: 'expired' },
      { queue: 'orders.retry.3', reason: 'maxlen' },
      { queue: 'orders.retry.x', reason: 'expired' },
    ];
    expect(attemptOf(withDeaths(foreign) as never, q)).toBe(1);
  });

  it('gives a message replayed from the dead-letter queue its attempts again', () => {
    const earlierLife = [{ queue: 'orders', reason: 'rejected', count: 1 }, expired(4), expired(3)];
    expect(attemptOf(withDeaths(earlierLife) as never, q)).toBe(1);
    expect(attemptOf(withDeaths([expired(1, 2), ...earlierLife]) as never, q)).toBe(2);
  });
});
