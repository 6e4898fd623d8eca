import { useAppOnFreshDatabase } from '../support/app';
import { startAppProcess } from '../support/app-process';
import { TEST_REDIS_URL, testNamespace } from '../support/redis';

const ATTRIBUTES = '; Path=/api; Domain=shop.test; HttpOnly; SameSite=Lax';

/** SESSION_COOKIE_*: the cookie's name and attributes, on the id and on its clearing cookie. */
describe('session cookie options', () => {
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    SESSION_NEW_PER_MINUTE: '0',
    SESSION_COOKIE_NAME: 'SHOP_SID',
    SESSION_COOKIE_DOMAIN: 'shop.test',
    SESSION_COOKIE_PATH: '/api',
    SESSION_COOKIE_SAME_SITE: 'Lax',
  });
  const http = () => ctx.http();

  it('shows in Set-Cookie, and the clearing cookie carries the same attributes', async () => {
    const res = await http()
      .post('/api/cart/items')
      .send({ code: 'P100', quantity: 1 })
      .expect(201);
    const [cookie] = res.headers['set-cookie'] as unknown as string[];
    const id = /^SHOP_SID=([\w-]{43});/.exec(cookie)![1];
    expect(cookie).toBe(`SHOP_SID=${id}${ATTRIBUTES}`);
    await http().get('/api/cart').set('Cookie', `SHOP_SID=${id}`).expect(200);
    const logout = await http()
      .post('/api/auth/logout')
      .set('Cookie', `SHOP_SID=${id}`)
      .expect(204);
    expect(logout.headers['set-cookie']).toEqual([
      `SHOP_SID=${ATTRIBUTES}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
    ]);
  });

  it('stops the app on SameSite=None without secure cookies, naming the variable', async () => {
    const started = startAppProcess({
      DATABASE_URL: ctx.db.url,
      SESSION_COOKIE_SAME_SITE: 'None',
    }).then(async (app) => {
      await app.stop();
      throw new Error('started with SESSION_COOKIE_SAME_SITE=None and no secure cookies');
    });
    await expect(started).rejects.toThrow(
      /exit code 1\)[\s\S]*SESSION_COOKIE_SAME_SITE=None requires USE_SECURE_COOKIES=true/,
    );
  });
});
