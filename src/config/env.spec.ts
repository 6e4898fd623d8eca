import { validateEnv } from './env';

describe('validateEnv', () => {
  it('applies defaults when nothing is set', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: 'info', DATABASE_POOL_SIZE: 10 });
    expect(env.DATABASE_URL).toBeUndefined();
  });

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
  ])('rejects %s=%p with a message naming it', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(name);
  });
});
