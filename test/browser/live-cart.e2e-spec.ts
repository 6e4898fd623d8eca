import type { Browser, Page } from 'playwright-core';
import { AppProcess, appEnvOn, startAppProcess } from '../support/app-process';
import { GuardedContext, launchChromium, loopbackOnlyContext } from '../support/browser';
import { createTestDatabase, TestDatabase } from '../support/database';
import { StorefrontPage } from '../support/storefront-page';
import { NginxProcess, startNginx } from '../topology/nginx';

const RELOADS = 20;

/** Which instance holds the tab's live-cart socket (the socket's hello, kept by the storefront). */
async function liveInstance(page: Page): Promise<string> {
  const body = page.locator('body[data-live-instance]');
  await body.waitFor({ state: 'attached' });
  return (await body.getAttribute('data-live-instance'))!;
}

/** Two tabs of one session behind nginx, their sockets on two app instances. */
describe('The live cart in Chromium, two tabs, nginx, two instances', () => {
  let db: TestDatabase;
  let apps: AppProcess[] = [];
  let nginx: NginxProcess;
  let browser: Browser;
  let tabs: GuardedContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      ...appEnvOn(db),
      SESSION_NEW_PER_MINUTE: '0',
      TRUST_PROXY: 'loopback',
    };
    apps = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    nginx = await startNginx(apps.map((app) => app.port));
    browser = await launchChromium();
    tabs = await loopbackOnlyContext(browser);
  }, 180_000);

  afterAll(async () => {
    await tabs?.context.close();
    expect(tabs?.offMachine).toEqual([]);
    await browser?.close();
    await nginx?.stop();
    await Promise.all(apps.map((app) => app.stop()));
    await db?.drop();
  });

  it('shows a change made in one tab in the other, and logs the other out with the first', async () => {
    const one = new StorefrontPage(tabs.page);
    await tabs.page.goto(`${nginx.url}/`);
    await one.addFromCatalog('A Game of Thrones');
    await one.logIn('alice', 'alice-secret-1');
    await tabs.page.goto(`${nginx.url}/`);
    await one.cartCount(1);
    const first = await liveInstance(tabs.page);

    // Round robin: reload the second tab until its socket is on the other instance.
    const two = new StorefrontPage(await tabs.context.newPage());
    let second = '';
    for (let i = 0; i < RELOADS && (second === '' || second === first); i++) {
      // A page load makes a fixed number of requests: if it is even, the socket lands on the
      // same instance every time. One extra request on every other try shifts the turn.
      if (i % 2 === 1) await two.page.evaluate(() => fetch('/health/live').then(() => undefined));
      await two.page.goto(`${nginx.url}/#/reload-${i}`);
      await two.page.goto(`${nginx.url}/`);
      second = await liveInstance(two.page);
    }
    expect(second).not.toEqual(first);
    await two.cartCount(1);
    await two.page.getByTestId('username').filter({ hasText: 'alice' }).waitFor();

    const before = Date.now();
    await one.addFromCatalog('A Game of Thrones');
    await one.cartCount(2);
    const answered = Date.now();
    await two.cartCount(2);
    console.log(
      `live cart in Chromium: tab 1's change (${first}) shown in tab 2 (${second}) ` +
        `${Date.now() - answered} ms after tab 1 showed it (${answered - before} ms for the click)`,
    );

    await tabs.page.getByRole('button', { name: 'Log out', exact: true }).click();
    const loggedOut = Date.now();
    await two.page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    await two.cartCount(0);
    console.log(
      `live cart in Chromium: the other tab showed logged out after ${Date.now() - loggedOut} ms`,
    );
  });
});
