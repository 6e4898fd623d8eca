import { brokerSettings } from './broker.settings';

describe('broker settings', () => {
  it('is off without RABBITMQ_URL (an empty value too), with the default names', () => {
    expect(brokerSettings({})).toEqual({
      url: undefined,
      exchange: 'bookstore.events',
      consumer: {
        queue: 'bookstore.order-events',
        deadLetterQueue: 'bookstore.order-events.dlq',
        maxAttempts: 5,
        retryDelayMs: 1_000,
      },
    });
    expect(brokerSettings({ RABBITMQ_URL: '' }).url).toBeUndefined();
  });

  it('takes an amqp URL, names and the retry policy', () => {
    const raw = {
      RABBITMQ_URL: 'amqps://u:p@mq:5671/vh',
      RABBITMQ_EXCHANGE: 'shop.events',
      RABBITMQ_QUEUE: 'shop.orders',
      RABBITMQ_MAX_ATTEMPTS: '3',
      RABBITMQ_RETRY_DELAY: '250ms',
    };
    expect(brokerSettings(raw)).toEqual({
      url: raw.RABBITMQ_URL,
      exchange: 'shop.events',
      consumer: {
        queue: 'shop.orders',
        deadLetterQueue: 'shop.orders.dlq',
        maxAttempts: 3,
        retryDelayMs: 250,
      },
    });
    expect(brokerSettings({ RABBITMQ_DLQ: 'parked' }).consumer.deadLetterQueue).toBe('parked');
  });

  it('rejects a bad value, naming the variable', () => {
    expect(() => brokerSettings({ RABBITMQ_URL: 'http://mq' })).toThrow(/RABBITMQ_URL/);
    expect(() => brokerSettings({ RABBITMQ_EXCHANGE: 'a b' })).toThrow(/RABBITMQ_EXCHANGE/);
    expect(() => brokerSettings({ RABBITMQ_QUEUE: 'a/b' })).toThrow(/RABBITMQ_QUEUE/);
    expect(() => brokerSettings({ RABBITMQ_DLQ: '' + 'x'.repeat(201) })).toThrow(/RABBITMQ_DLQ/);
    expect(() => brokerSettings({ RABBITMQ_MAX_ATTEMPTS: '0' })).toThrow(/RABBITMQ_MAX_ATTEMPTS/);
    expect(() => brokerSettings({ RABBITMQ_MAX_ATTEMPTS: '2.5' })).toThrow(/RABBITMQ_MAX_ATTEMPTS/);
    expect(() => brokerSettings({ RABBITMQ_RETRY_DELAY: 'soon' })).toThrow(/RABBITMQ_RETRY_DELAY/);
    expect(() => brokerSettings({ RABBITMQ_RETRY_DELAY: '5ms' })).toThrow(/RABBITMQ_RETRY_DELAY/);
  });
});
