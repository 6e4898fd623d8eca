import { sleep } from '../support/ports';
import { cartKey, linesOf, withAdded, withQuantity } from './carts';
import type { CartLine, VirtualUser } from './load-types';
import { placeOrder } from './order-placement';
import { isOk, RecordingClient, Reply } from './recording-client';
import type { RunState } from './run-state';

const PRODUCT_CODES = Array.from({ length: 15 }, (_, i) => `P${100 + i}`);
const MAX_LINE_QUANTITY = 99;
/** Delays before each re-read of a cart whose write was not acknowledged. */
const RESYNC_DELAYS_MS = [100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * One virtual user running the k6 order flow: browse, fill the cart, order every few rounds.
 * Every acknowledged cart is checked against what the user's own requests imply.
 */
export class Shopper {
  constructor(
    private readonly user: VirtualUser,
    private readonly state: RunState,
    private readonly client: RecordingClient,
    private readonly thinkTimeMs: [number, number] = [0, 0],
  ) {}

  async run(): Promise<void> {
    let untilOrder = between(2, 4);
    while (!this.state.finished()) {
      if (!this.user.cart) await this.resync();
      else {
        await this.iteration(--untilOrder <= 0);
        if (untilOrder <= 0) untilOrder = between(2, 4);
        await this.think();
      }
    }
    // A user that stopped right after an unacknowledged write learns its cart now.
    if (!this.user.cart) await this.resync();
  }

  private async think(): Promise<void> {
    const [min, max] = this.thinkTimeMs;
    const pause = Math.min(between(min, max), this.state.deadline - this.state.now());
    if (pause > 0) await sleep(pause);
  }

  private async iteration(order: boolean): Promise<void> {
    const { user, state } = this;
    const page = `/api/products?page=${between(1, 2)}`;
    await this.client.send(user, 'GET /api/products', 'GET', page);
    for (let i = between(1, 3); i > 0 && user.cart && !state.finished(); i--) {
      await this.addItem();
    }
    if (user.cart?.length && Math.random() < 0.3 && !state.finished()) await this.setQuantity();
    if (order && user.cart?.length && !state.finished()) {
      if (!(await placeOrder(user, state, this.client))) await this.resync();
    }
  }

  private async addItem(): Promise<void> {
    const cart = this.user.cart!;
    const code = pick(PRODUCT_CODES);
    const room = MAX_LINE_QUANTITY - (cart.find((l) => l.code === code)?.quantity ?? 0);
    if (room < 1) return;
    const quantity = Math.min(between(1, 3), room);
    const body = { code, quantity };
    const reply = await this.client.send(
      this.user,
      'POST /api/cart/items',
      'POST',
      '/api/cart/items',
      body,
    );
    await this.settleCartWrite(reply, withAdded(cart, code, quantity), `add ${code}`);
  }

  private async setQuantity(): Promise<void> {
    const cart = this.user.cart!;
    const { code } = pick(cart);
    const quantity = between(1, 5);
    const path = `/api/cart/items/${code}`;
    const reply = await this.client.send(this.user, 'PUT /api/cart/items/:code', 'PUT', path, {
      quantity,
    });
    await this.settleCartWrite(reply, withQuantity(cart, code, quantity), `set ${code}`);
  }

  /**
   * An acknowledged write must show exactly the cart the user's own requests imply; an
   * unacknowledged one may or may not have happened, so the cart is re-read before going on.
   */
  private async settleCartWrite(reply: Reply, expected: CartLine[], what: string): Promise<void> {
    const before = this.user.cart!;
    const acked = isOk(reply.status) ? linesOf(reply.body) : undefined;
    if (acked) {
      this.expectCart(acked, [expected], `${what} acknowledged`);
      this.user.cart = acked;
      return;
    }
    this.user.cart = undefined;
    this.user.pending = [before, expected];
    await this.resync();
  }

  /** Re-reads the cart (bounded); what it shows must be one of the pending candidates. */
  private async resync(): Promise<void> {
    for (const delay of RESYNC_DELAYS_MS) {
      if (this.state.now() >= this.state.hardDeadline) return;
      await sleep(delay);
      const reply = await this.client.send(this.user, 'GET /api/cart', 'GET', '/api/cart');
      const lines = isOk(reply.status) ? linesOf(reply.body) : undefined;
      if (lines) {
        this.expectCart(lines, this.user.pending ?? [], 're-read after an unacknowledged write');
        this.user.cart = lines;
        this.user.pending = undefined;
        return;
      }
    }
  }

  private expectCart(got: CartLine[], allowed: CartLine[][], what: string): void {
    if (allowed.some((c) => cartKey(c) === cartKey(got))) return;
    const expected = allowed.map((c) => `[${cartKey(c)}]`).join(' or ');
    this.state.anomalies.push(
      `vu ${this.user.id}: ${what}: cart is [${cartKey(got)}], expected one of ${expected} (t=${Math.round(this.state.now())} ms)`,
    );
  }
}
