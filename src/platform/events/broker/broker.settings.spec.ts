import { brokerSettings } from './broker.settings';

describe('broker settings', () => {
  it('is off without RABBITMQ_URL (an empty value too), with the default exchange', () => {
    expect(brokerSettings({})).toEqual({ url: undefined, exchange: 'bookstore.events' });
    expect(brokerSettings({ RABBITMQ_URL: '' }).url).toBeUndefined();
  });

  it('takes an amqp URL and an exchange name', () => {
    const raw = { RABBITMQ_URL: 'amqps://u:p@mq:5671/vh', RABBITMQ_EXCHANGE: 'shop.events' };
    expect(brokerSettings(raw)).toEqual({ url: raw.RABBITMQ_URL, exchange: 'shop.events' });
  });

  it('rejects a bad value, naming the variable', () => {
    expect(() => brokerSettings({ RABBITMQ_URL: 'http://mq' })).toThrow(/RABBITMQ_URL/);
    expect(() => brokerSettings({ RABBITMQ_EXCHANGE: 'a b' })).toThrow(/RABBITMQ_EXCHANGE/);
  });
});
