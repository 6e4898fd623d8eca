import type { Page } from 'playwright-core';
import { pollUntil } from './ports';

export const VALID_CHECKOUT = {
  'Full name': 'Ada Lovelace',
  Email: 'ada@example.com',
  Phone: '+44 20 7946 0000',
  'Delivery address': '221B Baker Street, London',
};

/** What a shopper does on the storefront (web/), by the names a screen reader would use. */
export class StorefrontPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async addFromCatalog(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Add ${name} to cart` }).click();
    await this.page
      .getByRole('status')
      .filter({ hasText: `× ${name}` })
      .waitFor({ state: 'attached' });
  }

  async logIn(username: string, password: string): Promise<void> {
    await this.page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.page.getByTestId('username').filter({ hasText: username }).waitFor();
  }

  async checkOut(fields: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(fields)) {
      await this.page.getByLabel(label).fill(value);
    }
    await this.page.getByRole('button', { name: 'Place order' }).click();
  }

  /** Waits until the header's cart badge shows this many items. */
  async cartCount(count: number): Promise<void> {
    await this.page
      .getByTestId('cart-link')
      .locator('.badge')
      .filter({ hasText: new RegExp(`^${count}$`) })
      .waitFor();
  }

  /** Tabs forward (at most 40 times) until the focused element has this text. */
  async tabTo(name: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await this.page.keyboard.press('Tab');
      const text = await this.page.evaluate<string>("document.activeElement?.textContent ?? ''");
      if (text.replace(/\s+/g, ' ').trim() === name) return;
    }
    throw new Error(`"${name}" cannot be reached with the Tab key`);
  }

  /**
   * Waits until `expression` is true in the page. Not `page.waitForFunction`: its later polls
   * `eval` the expression inside the page, which the storefront's CSP (no 'unsafe-eval') refuses
   * whenever the first check is false; `page.evaluate` goes through DevTools instead.
   */
  async waitUntil(expression: string, timeoutMs = 30_000): Promise<void> {
    await pollUntil(expression, () => this.page.evaluate<boolean>(expression), {
      timeoutMs,
      intervalMs: 50,
    });
  }

  /** A screenshot into `dir` once every image has loaded; nothing without a `dir`. */
  async screenshot(dir: string | undefined, name: string): Promise<void> {
    if (!dir) return;
    await this.waitUntil('[...document.images].every((image) => image.complete)');
    await this.page.screenshot({ path: `${dir}/storefront-${name}.png` });
  }
}
