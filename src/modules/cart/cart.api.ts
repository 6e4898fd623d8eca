import type { HttpSession } from '../../session';
import type { CartLine } from './domain/cart';

export const CART_API = Symbol('CART_API');

export type CartLineDto = Readonly<CartLine>;

/** What other modules (orders) may do with the session cart. */
export interface CartApi {
  lines(session: HttpSession): readonly CartLineDto[];
  /** Takes ordered lines out of the cart, keeping whatever was added meanwhile. */
  removeOrdered(session: HttpSession, ordered: readonly CartLineDto[]): Promise<void>;
}
