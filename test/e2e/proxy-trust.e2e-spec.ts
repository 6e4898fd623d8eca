import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { AppProcess, startAppProcess } from '../support/app-process';
import { useAppOnFreshDatabase } from '../support/app';
import { createTestDatabase } from '../support/database';
import { testNamespace, TEST_REDIS_URL } from '../support/redis';
import { NginxProcess, startNginx } from '../topology/nginx';

const NEW_PER_MINUTE = 5;
const LOGINS_PER_ADDRESS = 3;
const BURST = 20;

const limits = {
  REDIS_URL: TEST_REDIS_URL,
  SESSION_NEW_PER_MINUTE: String(NEW_PER_MINUTE),
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: String(LOGINS_PER_ADDRESS),
  LOGIN_MAX_ATTEMPTS_PER_USER: '1000',
};
const randomIp = () => [10, ...randomBytes(3)].join('.');
const forged = () => ({ 'X-Forwarded-For': randomIp(), 'X-Real-IP': randomIp() });

/** One POST from a chosen loopback source address (the whole 127/8 is local on Linux). */
function post(url: string, body: unknown, from: string, headers: Record<string, string> = {}) {
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      localAddress: from,
      agent: false,
      headers: { 'Content-Type': 'application/json', ...headers },
      timeout: 10_000,
    });
    req.on('response', (res) => res.resume().on('end', () => resolve(res.statusCode!)));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function burst(send: () => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < BURST; i++) statuses.push(await send());
  return statuses;
}

/** A fixed window may roll over once during a burst: at most twice the limit gets through. */
function expectLimited(statuses: number[], ok: number, limit: number): void {
  expect(statuses.filter((s) => s !== ok && s !== 429)).toEqual([]);
  expect(statuses.filter((s) => s === ok).length).toBeLessThanOrEqual(2 * limit);
  expect(statuses).toContain(429);
}

describe('client address, default TRUST_PROXY (trust nothing)', () => {
  const ctx = useAppOnFreshDatabase({ ...limits, SESSION_NAMESPACE: testNamespace() });
  const addToCart = () =>
    ctx.http().post('/api/cart/items').set(forged()).send({ code: 'P100', quantity: 1 });

  it('a forged X-Forwarded-For does not lift the new-session limit', async () => {
    expectLimited(await burst(async () => (await addToCart()).status), 201, NEW_PER_MINUTE);
  });

  it('nor the login limit per address', async () => {
    const login = () =>
      ctx.http().post('/api/auth/login').set(forged()).send({ username: 'bob', password: 'no' });
    expectLimited(await burst(async () => (await login()).status), 401, LOGINS_PER_ADDRESS);
  });
});

describe('client address behind nginx (TRUST_PROXY=127.0.0.1)', () => {
  let app: AppProcess | undefined;
  let nginx: NginxProcess | undefined;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = () => db.drop();
    app = await startAppProcess({
      ...limits,
      DATABASE_URL: db.url,
      SESSION_NAMESPACE: testNamespace(),
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    nginx = await startNginx([app.port]);
  });

  afterAll(async () => {
    await nginx?.stop();
    await app?.stop();
    await drop();
  });

  const addToCart = (from: string, headers?: Record<string, string>) =>
    post(`${nginx!.url}/api/cart/items`, { code: 'P100', quantity: 1 }, from, headers);

  it('limits each real client on its own, whatever X-Forwarded-For it sends', async () => {
    expectLimited(await burst(() => addToCart('127.0.0.2', forged())), 201, NEW_PER_MINUTE);
    // Another client behind the same proxy still has its whole allowance.
    expect(await addToCart('127.0.0.3')).toBe(201);
    expect(await addToCart('127.0.0.3', forged())).toBe(201);
  });
});
