import type { HttpSession } from '../../session';
import type { CartLine, OrderedLine } from './domain/cart';

export const CART_API = Symbol('CART_API');

export type CartLineDto = Readonly<CartLine>;

/** What other modules (orders) may do with the session cart. */
export interface CartApi {
  lines(session: HttpSession): readonly CartLineDto[];
  /**
   * Takes an order's lines out of the cart, keeping whatever was added meanwhile; once per
   * order, so a replayed order (or a second attempt) never takes out more.
   */
  removeOrdered(
    session: HttpSession,
    orderNumber: string,
    ordered: readonly OrderedLine[],
  ): Promise<void>;
}
