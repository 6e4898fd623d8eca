import { ordersSettings } from './orders.settings';

const TOKEN = 'a-token-of-sixteen+';

describe('orders settings', () => {
  it('has no gRPC server unless GRPC_PORT is set', () => {
    expect(ordersSettings({})).toEqual({});
  });

  it('reads the port, the token and the rate limit (default 100 calls/s)', () => {
    expect(ordersSettings({ GRPC_PORT: '50051', GRPC_TOKEN: TOKEN })).toEqual({
      grpc: { port: 50051, token: TOKEN, ratePerSecond: 100 },
    });
    expect(
      ordersSettings({ GRPC_PORT: '1', GRPC_TOKEN: TOKEN, GRPC_RATE_LIMIT: '7' }).grpc,
    ).toMatchObject({ ratePerSecond: 7 });
  });

  it.each([
    [{ GRPC_PORT: '50051' }, 'GRPC_TOKEN is required'],
    [{ GRPC_PORT: '50051', GRPC_TOKEN: 'short' }, 'GRPC_TOKEN must be'],
    [{ GRPC_PORT: '50051', GRPC_TOKEN: 'has a space in it!!' }, 'GRPC_TOKEN must be'],
    [{ GRPC_TOKEN: 'short' }, 'GRPC_TOKEN must be'],
    [{ GRPC_PORT: '0', GRPC_TOKEN: TOKEN }, 'GRPC_PORT'],
    [{ GRPC_PORT: '65536', GRPC_TOKEN: TOKEN }, 'GRPC_PORT'],
    [{ GRPC_PORT: 'grpc', GRPC_TOKEN: TOKEN }, 'GRPC_PORT'],
    [{ GRPC_PORT: '50051', GRPC_TOKEN: TOKEN, GRPC_RATE_LIMIT: '0' }, 'GRPC_RATE_LIMIT'],
  ])('refuses %p with a message naming the variable', (raw, message) => {
    expect(() => ordersSettings(raw)).toThrow(message);
  });
});
