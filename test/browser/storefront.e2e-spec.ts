import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { useAppOnFreshDatabase } from '../support/app';
import {
  accessibilityViolations,
  GuardedContext,
  launchChromium,
  loopbackOnlyContext,
  serveStorefrontAt,
} from '../support/browser';
import { freePort, LOOPBACK, pollUntil } from '../support/ports';
import { testNamespace, TEST_REDIS_URL } from '../support/redis';
import { StorefrontPage, VALID_CHECKOUT } from '../support/storefront-page';

/** `SCREENSHOTS_DIR=docs npx jest test/browser` refreshes the README's pictures. */
const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR;

describe('The storefront in Chromium', () => {
  const env: Record<string, string> = {
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    SESSION_NEW_PER_MINUTE: '0',
  };
  let devPort: number;
  beforeAll(async () => {
    devPort = await freePort();
    env.CORS_ORIGINS = `http://localhost:${devPort}`;
  });
  const ctx = useAppOnFreshDatabase(env);
  let site: string;
  let direct: string;
  let browser: Browser;
  let tab: GuardedContext;
  let page: Page;
  let shop: StorefrontPage;

  beforeAll(async () => {
    await ctx.app.listen(0, LOOPBACK);
    const port = (await ctx.app.getUrl()).split(':').pop()!;
    // The browser's address; `direct` for Node's own requests (localhost may resolve to ::1).
    site = `http://localhost:${port}`;
    direct = `http://${LOOPBACK}:${port}`;
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    tab = await loopbackOnlyContext(browser);
    page = tab.page;
    shop = new StorefrontPage(page);
  });
  afterEach(async () => {
    await tab.context.close();
    expect(tab.offMachine).toEqual([]);
  });

  const heading = () => shop.heading();

  it('is served at / beside the API, health, metrics and docs, none of them shadowed', async () => {
    const home = await fetch(`${direct}/`);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await home.text()).toContain('<div id="app">');
    expect((await fetch(`${direct}/api/products`)).status).toBe(200);
    expect((await fetch(`${direct}/health/live`)).status).toBe(200);
    expect((await fetch(`${direct}/metrics`)).status).toBe(200);
    expect((await fetch(`${direct}/api-docs`)).headers.get('content-type')).toContain('json');
    const missing = await fetch(`${direct}/api/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, path: '/api/nope' });
    const cover = await fetch(`${direct}/api/products/P100/cover`);
    expect(cover.headers.get('content-type')).toContain('image/svg+xml');
    expect(await cover.text()).toContain('Hunger');
    expect(cover.headers.get('cache-control')).toBe('public, max-age=86400');
    const noCover = await fetch(`${direct}/api/products/NOPE/cover`);
    expect(noCover.status).toBe(404);
    expect(noCover.headers.get('cache-control') ?? '').not.toContain('public');
    expect(await noCover.json()).toMatchObject({ message: "Product with code 'NOPE' not found" });
  });

  it('catches a request off this machine (the guard every test ends with)', async () => {
    // A page of its own: the storefront's CSP would stop such an image before any request.
    await page.setContent('<img src="http://192.0.2.1/x.png" alt="">');
    const caught = () => Promise.resolve(tab.offMachine.length > 0);
    await pollUntil('the off-machine request to be caught', caught, { timeoutMs: 30_000 });
    expect(tab.offMachine.splice(0)).toEqual(['http://192.0.2.1/x.png']);
  });

  it('browse → add → log in (cart kept) → order → history → cancel → log out', async () => {
    await page.goto(`${site}/`);
    await expect(heading().textContent()).resolves.toBe('Books');
    await page.getByRole('link', { name: /Next page/ }).click();
    await page.getByRole('link', { name: 'The Hunger Games' }).click();
    await page.getByText('Winning will make you famous').waitFor();
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await shop.cartCount(2);
    await page.getByRole('link', { name: 'Catalog', exact: true }).click();
    await shop.addFromCatalog('A Game of Thrones');
    await shop.cartCount(3);

    await shop.logIn('alice', 'alice-secret-1');
    await shop.cartCount(3);
    await page.getByTestId('cart-link').click();
    await page.getByLabel('Quantity of A Game of Thrones').fill('3');
    await page.getByLabel('Quantity of A Game of Thrones').press('Enter');
    await shop.cartCount(5);
    await expect(page.getByTestId('cart-total').textContent()).resolves.toBe('$164.00');

    await page.getByRole('link', { name: 'Checkout' }).click();
    await shop.checkOut({ ...VALID_CHECKOUT, 'Full name': ' ', Email: 'not-an-email' });
    await page.getByText('customer.email must be an email address').waitFor();
    await page.getByText('customer.name must not be blank').waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Phone').getAttribute('aria-invalid')).resolves.toBeNull();

    await shop.checkOut(VALID_CHECKOUT);
    const orderNumber = await page.getByTestId('order-number').textContent();
    expect(orderNumber).toBeTruthy();
    await shop.cartCount(0);

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: orderNumber! });
    // Fulfilment may have started already: the order can still be cancelled then.
    await expect(row.getByTestId('order-status').textContent()).resolves.toMatch(
      /^(NEW|IN_PROCESS)$/,
    );
    await row.getByRole('button', { name: `Cancel order ${orderNumber}` }).click();
    if (await documented('/api/orders/{orderNumber}/cancel')) {
      await row.getByTestId('order-status').filter({ hasText: 'CANCELLED' }).waitFor();
    } else {
      await row.getByText('This shop cannot cancel orders online yet.').waitFor();
    }

    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByText('No orders yet.').waitFor();
  });

  it("lists my sessions and ends another device's (when the server lists sessions)", async () => {
    const other = await loopbackOnlyContext(browser);
    try {
      await other.page.goto(`${site}/`);
      await new StorefrontPage(other.page).logIn('carol', 'carol-secret-3');
      await page.goto(`${site}/`);
      await shop.logIn('carol', 'carol-secret-3');
      await page.getByRole('link', { name: 'My sessions' }).click();
      if (!(await documented('/api/auth/sessions'))) {
        await page.getByText('This shop does not list sessions yet.').waitFor();
        return;
      }
      await page.getByText('This device').waitFor();
      await page.getByRole('button', { name: 'End this session' }).click();
      await page.getByRole('button', { name: 'End this session' }).waitFor({ state: 'detached' });
      await page.locator('.sessions li').first().waitFor(); // the list again, reloaded
      await expect(page.locator('.sessions li').count()).resolves.toBe(1);
      await other.page.reload();
      await other.page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    } finally {
      await other.context.close();
      expect(other.offMachine).toEqual([]);
    }
  });

  it('keeps the cart across a refresh; lines change, go, and the cart clears', async () => {
    await page.goto(`${site}/`);
    await shop.addFromCatalog('A Game of Thrones');
    await shop.addFromCatalog("Charlotte's Web");
    await page.reload();
    await shop.cartCount(2);
    await page.getByTestId('cart-link').click();
    await page.getByRole('button', { name: "Remove Charlotte's Web" }).click();
    await shop.cartCount(1);
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'A Game of Thrones' }).waitFor();
    await expect(page.getByRole('row').count()).resolves.toBe(3); // header, 1 line, total
    await page.getByRole('button', { name: 'Clear cart' }).click();
    await page.getByText('Your cart is empty.').waitFor();
    await page.reload();
    await page.getByText('Your cart is empty.').waitFor();
    await shop.cartCount(0);
  });

  it('keeps the session cookie from scripts: HttpOnly, SameSite=Strict', async () => {
    await page.goto(`${site}/`);
    await shop.addFromCatalog('A Game of Thrones');
    const [cookie] = await tab.context.cookies();
    expect(cookie).toMatchObject({ name: 'BOOKSTORE_SESSION', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('BOOKSTORE_SESSION');
  });

  it('works from the keyboard alone', async () => {
    await page.goto(`${site}/`);
    await heading().waitFor();
    await shop.tabTo('Add A Game of Thrones to cart');
    await page.keyboard.press('Enter');
    await shop.cartCount(1);
    await shop.tabTo('Cart 1 items');
    await page.keyboard.press('Enter');
    // The new page's heading has the focus, so reading starts there.
    await shop.waitUntil("document.activeElement?.textContent === 'Your cart'");
  });

  it('a dev frontend on another port uses the API with credentials when CORS_ORIGINS lists it', async () => {
    const servers: Server[] = [];
    try {
      servers.push(await serveStorefrontAt(devPort, site));
      const unlisted = await freePort();
      servers.push(await serveStorefrontAt(unlisted, site));

      await page.goto(`http://localhost:${devPort}/`);
      await shop.addFromCatalog('A Game of Thrones');
      // Covers come from the API's origin too (Cross-Origin-Resource-Policy allows it).
      await shop.waitUntil(
        '[...document.images].length === 10 && [...document.images].every((i) => i.naturalWidth > 0)',
      );
      await page.reload();
      await shop.cartCount(1);

      await page.goto(`http://localhost:${unlisted}/`);
      await page.getByRole('alert').filter({ hasText: 'The shop cannot be reached.' }).waitFor();
      const refused = await page.evaluate(async (api) => {
        const res = fetch(`${api}/api/cart`, { credentials: 'include' });
        return res.then(
          () => 'answered',
          (e: Error) => e.name,
        );
      }, site);
      expect(refused).toBe('TypeError');
    } finally {
      await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    }
  });

  it('has no accessibility violations (axe-core) on any page', async () => {
    const check = async (name: string) => {
      await page.getByText('Loading…').waitFor({ state: 'detached' });
      expect({ page: name, violations: await accessibilityViolations(page) }).toEqual({
        page: name,
        violations: [],
      });
    };
    await page.goto(`${site}/`);
    await heading().waitFor();
    await page.locator('.products li').first().waitFor();
    await check('catalog');
    await shop.screenshot(SCREENSHOTS_DIR, 'catalog');
    await shop.addFromCatalog('A Game of Thrones');
    await page.getByRole('link', { name: /Next page/ }).click();
    await page.getByRole('link', { name: 'The Hunger Games' }).click();
    await page.getByText('Winning will make you famous').waitFor();
    await check('product');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await shop.cartCount(2);
    await page.getByRole('link', { name: 'Recently viewed' }).click();
    await page.getByRole('link', { name: 'The Hunger Games' }).waitFor();
    await check('recently viewed');
    await shop.logIn('bob', 'bob-secret-2');
    await page
      .getByRole('banner')
      .getByRole('link', { name: 'Log in' })
      .waitFor({ state: 'detached' });
    await page.getByTestId('cart-link').click();
    await check('cart');
    await shop.screenshot(SCREENSHOTS_DIR, 'cart');
    await page.getByRole('link', { name: 'Checkout' }).click();
    await shop.checkOut({ ...VALID_CHECKOUT, Email: 'bob@', Phone: '' });
    await page.getByText('customer.email must be an email address').waitFor();
    await check('checkout with errors');
    await shop.screenshot(SCREENSHOTS_DIR, 'checkout');
    await shop.checkOut({ ...VALID_CHECKOUT, Email: 'bob@example.com', Phone: '555' });
    await page.getByTestId('order-number').waitFor();
    await check('order confirmation');
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByTestId('order-status').first().waitFor();
    await check('order history');
    await shop.screenshot(SCREENSHOTS_DIR, 'orders');
    await page.getByRole('link', { name: 'My sessions' }).click();
    await check('my sessions');
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
    await check('log in');
  });

  /** Whether this build of the API has the route (some arrive from work in progress). */
  async function documented(path: string): Promise<boolean> {
    const docs = await fetch(`${direct}/api-docs`);
    return path in ((await docs.json()) as { paths: object }).paths;
  }
});
