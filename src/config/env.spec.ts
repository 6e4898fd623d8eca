import { validateEnv } from './env';

describe('validateEnv', () => {
  it('applies defaults when nothing is set', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: 'info', DATABASE_POOL_SIZE: 10 });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TRUST_PROXY).toBeUndefined();
  });

  it.each(['false', '1', '127.0.0.1', 'loopback, 10.0.0.0/8', 'fd00::/8,172.16.0.0/255.240.0.0'])(
    'accepts TRUST_PROXY=%p',
    (value) => expect(validateEnv({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value),
  );

  it('converts whole numbers and treats empty values as unset', () => {
    expect(validateEnv({ PORT: '8080', DATABASE_URL: '' })).toMatchObject({
      PORT: 8080,
      DATABASE_URL: undefined,
    });
  });

  it.each([
    ['PORT', '80a'],
    ['PORT', '70000'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_URL', 'http://db'],
    ['LOG_LEVEL', 'verbose'],
    ['CORS_ORIGINS', 'example.com'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', 'nginx'],
    ['TRUST_PROXY', '10.0.0.1, anything'],
    ['DATABASE_QUERY_TIMEOUT_MS', '0'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '5s'],
  ])('rejects %s=%p with a message naming it', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(name);
  });

  it.each([
    ['REDIS_URL', 'http://x'],
    ['REDIS_CLUSTER_NODES', 'a:1,b'],
    ['SESSION_TIMEOUT', '5'],
    ['SESSION_ID_RESOLVER', 'query'],
    ['USE_SECURE_COOKIES', 'yes'],
  ])('rejects the session setting %s=%p with a message naming it', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(name);
  });

  it('takes one Redis deployment and durations for the session timeout', () => {
    expect(() => validateEnv({ REDIS_URL: 'redis://a', REDIS_CLUSTER_NODES: 'b:1' })).toThrow(
      'exclusive',
    );
    expect(validateEnv({ SESSION_TIMEOUT: '30m' }).SESSION_TIMEOUT).toBe(1_800);
  });
});
