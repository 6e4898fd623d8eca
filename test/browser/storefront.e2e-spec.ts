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
  let shop: string;
  let browser: Browser;
  let tab: GuardedContext;
  let page: Page;

  beforeAll(async () => {
    await ctx.app.listen(0, LOOPBACK);
    shop = `http://localhost:${(await ctx.app.getUrl()).split(':').pop()}`;
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    tab = await loopbackOnlyContext(browser);
    page = tab.page;
  });
  afterEach(async () => {
    await tab.context.close();
    expect(tab.offMachine).toEqual([]);
  });

  const cartBadge = () => page.getByTestId('cart-link').locator('.badge');
  const heading = () => page.getByRole('heading', { level: 1 });

  async function addFromCatalog(name: string) {
    await page.getByRole('button', { name: `Add ${name} to cart` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `× ${name}` })
      .waitFor({ state: 'attached' });
  }

  async function logIn(username: string, password: string) {
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('username').filter({ hasText: username }).waitFor();
  }

  async function fillCheckout(fields: Record<string, string>) {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Place order' }).click();
  }

  const validCheckout = {
    'Full name': 'Ada Lovelace',
    Email: 'ada@example.com',
    Phone: '+44 20 7946 0000',
    'Delivery address': '221B Baker Street, London',
  };

  async function shoot(name: string) {
    if (!SCREENSHOTS_DIR) return;
    await page.waitForFunction('[...document.images].every((image) => image.complete)');
    await page.screenshot({ path: `${SCREENSHOTS_DIR}/storefront-${name}.png` });
  }

  it('is served at / beside the API, health, metrics and docs, none of them shadowed', async () => {
    const home = await fetch(`${shop.replace('localhost', LOOPBACK)}/`);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await home.text()).toContain('<div id="app">');
    const base = shop.replace('localhost', LOOPBACK);
    expect((await fetch(`${base}/api/products`)).status).toBe(200);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/api-docs`)).headers.get('content-type')).toContain('json');
    const missing = await fetch(`${base}/api/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, path: '/api/nope' });
    const cover = await fetch(`${base}/api/products/P100/cover`);
    expect(cover.headers.get('content-type')).toContain('image/svg+xml');
    expect(await cover.text()).toContain('Hunger');
    expect(cover.headers.get('cache-control')).toBe('public, max-age=86400');
    const noCover = await fetch(`${base}/api/products/NOPE/cover`);
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
    await page.goto(`${shop}/`);
    await expect(heading().textContent()).resolves.toBe('Books');
    await page.getByRole('link', { name: /Next page/ }).click();
    await page.getByRole('link', { name: 'The Hunger Games' }).click();
    await page.getByText('Winning will make you famous').waitFor();
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expectBadge('2');
    await page.getByRole('link', { name: 'Catalog', exact: true }).click();
    await addFromCatalog('A Game of Thrones');
    await expectBadge('3');

    await logIn('alice', 'alice-secret-1');
    await expectBadge('3');
    await page.getByTestId('cart-link').click();
    await page.getByLabel('Quantity of A Game of Thrones').fill('3');
    await page.getByLabel('Quantity of A Game of Thrones').press('Enter');
    await expectBadge('5');
    await expect(page.getByTestId('cart-total').textContent()).resolves.toBe('$164.00');

    await page.getByRole('link', { name: 'Checkout' }).click();
    await fillCheckout({ ...validCheckout, 'Full name': ' ', Email: 'not-an-email' });
    await page.getByText('customer.email must be an email address').waitFor();
    await page.getByText('customer.name must not be blank').waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Phone').getAttribute('aria-invalid')).resolves.toBeNull();

    await fillCheckout(validCheckout);
    const orderNumber = await page.getByTestId('order-number').textContent();
    expect(orderNumber).toBeTruthy();
    await expectBadge('0');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: orderNumber! });
    // Fulfilment may have started already: the order can still be cancelled then.
    await expect(row.getByTestId('order-status').textContent()).resolves.toMatch(
      /^(NEW|IN_PROCESS)$/,
    );
    await row.getByRole('button', { name: `Cancel order ${orderNumber}` }).click();
    if (await cancellationIsDocumented()) {
      await row.getByTestId('order-status').filter({ hasText: 'CANCELLED' }).waitFor();
    } else {
      await row.getByText('This shop cannot cancel orders online yet.').waitFor();
    }

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByText('No orders yet.').waitFor();
  });

  it('keeps the cart across a refresh; lines change, go, and the cart clears', async () => {
    await page.goto(`${shop}/`);
    await addFromCatalog('A Game of Thrones');
    await addFromCatalog("Charlotte's Web");
    await page.reload();
    await expectBadge('2');
    await page.getByTestId('cart-link').click();
    await page.getByRole('button', { name: "Remove Charlotte's Web" }).click();
    await expectBadge('1');
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'A Game of Thrones' }).waitFor();
    await expect(page.getByRole('row').count()).resolves.toBe(3); // header, 1 line, total
    await page.getByRole('button', { name: 'Clear cart' }).click();
    await page.getByText('Your cart is empty.').waitFor();
    await page.reload();
    await page.getByText('Your cart is empty.').waitFor();
    await expectBadge('0');
  });

  it('keeps the session cookie from scripts: HttpOnly, SameSite=Strict', async () => {
    await page.goto(`${shop}/`);
    await addFromCatalog('A Game of Thrones');
    const [cookie] = await tab.context.cookies();
    expect(cookie).toMatchObject({ name: 'BOOKSTORE_SESSION', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('BOOKSTORE_SESSION');
  });

  it('works from the keyboard alone', async () => {
    await page.goto(`${shop}/`);
    await heading().waitFor();
    await tabTo('Add A Game of Thrones to cart');
    await page.keyboard.press('Enter');
    await expectBadge('1');
    await tabTo('Cart 1 items');
    await page.keyboard.press('Enter');
    // The new page's heading has the focus, so reading starts there.
    await page.waitForFunction("document.activeElement?.textContent === 'Your cart'");
  });

  it('a dev frontend on another port uses the API with credentials when CORS_ORIGINS lists it', async () => {
    const servers: Server[] = [];
    try {
      servers.push(await serveStorefrontAt(devPort, shop));
      const unlisted = await freePort();
      servers.push(await serveStorefrontAt(unlisted, shop));

      await page.goto(`http://localhost:${devPort}/`);
      await addFromCatalog('A Game of Thrones');
      // Covers come from the API's origin too (Cross-Origin-Resource-Policy allows it).
      await page.waitForFunction(
        '[...document.images].length === 10 && [...document.images].every((i) => i.naturalWidth > 0)',
      );
      await page.reload();
      await expectBadge('1');

      await page.goto(`http://localhost:${unlisted}/`);
      await page.getByRole('alert').filter({ hasText: 'The shop cannot be reached.' }).waitFor();
      const refused = await page.evaluate(async (api) => {
        const res = fetch(`${api}/api/cart`, { credentials: 'include' });
        return res.then(
          () => 'answered',
          (e: Error) => e.name,
        );
      }, shop);
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
    await page.goto(`${shop}/`);
    await heading().waitFor();
    await page.locator('.products li').first().waitFor();
    await check('catalog');
    await shoot('catalog');
    await addFromCatalog('A Game of Thrones');
    await page.getByRole('link', { name: /Next page/ }).click();
    await page.getByRole('link', { name: 'The Hunger Games' }).click();
    await page.getByText('Winning will make you famous').waitFor();
    await check('product');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expectBadge('2');
    await page.getByRole('link', { name: 'Recently viewed' }).click();
    await page.getByRole('link', { name: 'The Hunger Games' }).waitFor();
    await check('recently viewed');
    await logIn('bob', 'bob-secret-2');
    await page
      .getByRole('banner')
      .getByRole('link', { name: 'Log in' })
      .waitFor({ state: 'detached' });
    await page.getByTestId('cart-link').click();
    await check('cart');
    await shoot('cart');
    await page.getByRole('link', { name: 'Checkout' }).click();
    await fillCheckout({ ...validCheckout, Email: 'bob@', Phone: '' });
    await page.getByText('customer.email must be an email address').waitFor();
    await check('checkout with errors');
    await shoot('checkout');
    await fillCheckout({ ...validCheckout, Email: 'bob@example.com', Phone: '555' });
    await page.getByTestId('order-number').waitFor();
    await check('order confirmation');
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByTestId('order-status').first().waitFor();
    await check('order history');
    await shoot('orders');
    await page.getByRole('link', { name: 'My sessions' }).click();
    await check('my sessions');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
    await check('log in');
  });

  async function expectBadge(count: string) {
    await cartBadge()
      .filter({ hasText: new RegExp(`^${count}$`) })
      .waitFor();
  }

  /** Tabs forward (at most 40 times) until the focused element has this accessible text. */
  async function tabTo(name: string) {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const text = await page.evaluate<string>("document.activeElement?.textContent ?? ''");
      if (text.replace(/\s+/g, ' ').trim() === name) return;
    }
    throw new Error(`"${name}" cannot be reached with the Tab key`);
  }

  async function cancellationIsDocumented(): Promise<boolean> {
    const docs = await fetch(`${shop.replace('localhost', LOOPBACK)}/api-docs`);
    const paths = Object.keys(((await docs.json()) as { paths: object }).paths);
    return paths.includes('/api/orders/{orderNumber}/cancel');
  }
});
