import { useAppOnFreshDatabase } from '../support/app';
import { waitFor } from '../support/http';
import { sleep } from '../support/ports';
import { redisClient, TEST_REDIS_URL, testNamespace } from '../support/redis';
import { sessionCookie } from '../support/session-app';
import { as } from '../support/shopping';

const LIFETIME_S = 8;

/** SESSION_MAX_LIFETIME: an absolute age limit, whatever the activity, rotation or remember-me. */
describe('absolute session lifetime (Postgres + Redis)', () => {
  const namespace = testNamespace();
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: namespace,
    SESSION_NEW_PER_MINUTE: '0',
    SESSION_MAX_LIFETIME: String(LIFETIME_S),
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000',
  });
  const redis = redisClient();
  const http = () => ctx.http();
  const alice = { username: 'alice', password: 'alice-secret-1' };

  afterAll(() => redis.disconnect());

  async function newCart(): Promise<{ id: string; createdBy: number }> {
    const res = await http()
      .post('/api/cart/items')
      .send({ code: 'P100', quantity: 1 })
      .expect(201);
    return { id: sessionCookie(res)!, createdBy: Date.now() };
  }

  it('refuses a session past its lifetime although it was used every second', async () => {
    const { id, createdBy } = await newCart();
    const seen: Array<{ sentAfter: number; items: number }> = [];
    while (Date.now() - createdBy < (LIFETIME_S + 3) * 1_000) {
      const sentAfter = Date.now() - createdBy;
      const res = await http().get('/api/cart').set(as(id)).expect(200);
      seen.push({ sentAfter, items: (res.body as { itemCount: number }).itemCount });
      await sleep(1_000);
    }
    // Sent well within the lifetime: the cart; sent after it: no session at all.
    expect(seen.filter((s) => s.sentAfter < 2_500).every((s) => s.items === 1)).toBe(true);
    const late = seen.filter((s) => s.sentAfter > LIFETIME_S * 1_000 + 500);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((s) => s.items === 0)).toBe(true);
  });

  it('keeps the age across id rotation, and remember-me does not extend it', async () => {
    const { id, createdBy } = await newCart();
    await sleep(1_500);
    const login = await http()
      .post('/api/auth/login')
      .set(as(id))
      .send({ ...alice, rememberMe: true })
      .expect(200);
    const [, rotated, maxAge] = /^BOOKSTORE_SESSION=([\w-]{43});.*; Max-Age=(\d+)$/.exec(
      String(login.headers['set-cookie']),
    )!;
    expect(rotated).not.toBe(id);
    expect(Number(maxAge)).toBeLessThanOrEqual(LIFETIME_S - 1);
    expect(await redis.pttl(`${namespace}:sessions:${rotated}`)).toBeLessThanOrEqual(
      LIFETIME_S * 1_000,
    );
    const sentAfter = Date.now() - createdBy;
    const me = await http().get('/api/auth/me').set(as(rotated));
    // Never refused before its lifetime is over (a busy machine may have used it up already).
    expect([me.status, sentAfter < LIFETIME_S * 1_000 - 500]).toEqual([
      me.status === 200 ? 200 : 401,
      me.status === 200,
    ]);
    await waitFor('the rotated session to reach the lifetime of the first', async () => {
      const status = (await http().get('/api/auth/me').set(as(rotated))).status;
      return status === 401;
    });
    expect(Date.now() - createdBy).toBeGreaterThanOrEqual(LIFETIME_S * 1_000 - 1_000);
  });
});
