import { Cents, fromCents } from '../../../shared/money';

export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;
/** Orders remembered as taken out of a cart: a retry comes seconds or minutes later, not 20 orders on. */
export const CLEANED_UP_MARKS = 20;

/** A cart line as kept in the session: the price is the catalog's when the line was added. */
export interface CartLine {
  code: string;
  name: string;
  priceCents: Cents;
  quantity: number;
}

/** The session attribute `cart`. */
export interface CartData {
  lines: CartLine[];
  /**
   * Orders whose lines were taken out of this cart, newest first. Written in the same
   * compare-and-set as the subtraction, so a replayed order never takes them out again.
   */
  cleanedUp?: readonly string[];
}

/** What the rules accept: a session hands out frozen, read-only carts. */
export type CartInput =
  | { readonly lines: ReadonlyArray<Readonly<CartLine>>; readonly cleanedUp?: readonly string[] }
  | undefined;

/** An ordered line: what taking an order out of the cart subtracts. */
export interface OrderedLine {
  code: string;
  quantity: number;
}

export interface CartView {
  items: Array<{ code: string; name: string; price: number; quantity: number; subtotal: number }>;
  totalAmount: number;
  itemCount: number;
}

export class CartRuleError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'missing',
  ) {
    super(message);
  }
}

/** Pure cart rules over immutable data: every operation returns a new cart. */
export const Cart = {
  empty: (): CartData => ({ lines: [] }),

  add(cart: CartInput, product: Omit<CartLine, 'quantity'>, quantity: number): CartData {
    const lines = cart?.lines ?? [];
    const existing = lines.find((l) => l.code === product.code);
    if (!existing) {
      if (lines.length >= MAX_LINES) {
        throw new CartRuleError(`A cart holds at most ${MAX_LINES} lines`, 'invalid');
      }
      return { ...cart, lines: [...lines, { ...product, quantity: checked(quantity) }] };
    }
    return Cart.setQuantity(cart, product.code, existing.quantity + quantity);
  },

  setQuantity(cart: CartInput, code: string, quantity: number): CartData {
    const lines = cart?.lines ?? [];
    if (!lines.some((l) => l.code === code)) throw missing(code);
    return {
      ...cart,
      lines: lines.map((l) => (l.code === code ? { ...l, quantity: checked(quantity) } : l)),
    };
  },

  remove(cart: CartInput, code: string): CartData {
    const lines = cart?.lines ?? [];
    if (!lines.some((l) => l.code === code)) throw missing(code);
    return { ...cart, lines: lines.filter((l) => l.code !== code) };
  },

  /** No lines; which orders were already taken out is kept, so their retries stay no-ops. */
  clear(cart: CartInput): CartData | undefined {
    return cart?.cleanedUp ? { lines: [], cleanedUp: cart.cleanedUp } : undefined;
  },

  /**
   * Takes order `orderNumber`'s quantities out of the cart, once: a line that reaches 0 goes,
   * lines added since stay, and the order is marked in the result. Already marked: unchanged.
   */
  takeOrdered(cart: CartInput, orderNumber: string, ordered: readonly OrderedLine[]): CartData {
    if (cart?.cleanedUp?.includes(orderNumber)) {
      return { lines: [...cart.lines], cleanedUp: [...cart.cleanedUp] };
    }
    const taken = new Map(ordered.map((l) => [l.code, l.quantity]));
    const lines = (cart?.lines ?? []).flatMap((l) => {
      const left = l.quantity - (taken.get(l.code) ?? 0);
      return left > 0 ? [{ ...l, quantity: left }] : [];
    });
    const cleanedUp = [orderNumber, ...(cart?.cleanedUp ?? [])].slice(0, CLEANED_UP_MARKS);
    return { lines, cleanedUp };
  },

  view(cart: CartInput): CartView {
    const lines = cart?.lines ?? [];
    return {
      items: lines.map((l) => ({
        code: l.code,
        name: l.name,
        price: fromCents(l.priceCents),
        quantity: l.quantity,
        subtotal: fromCents(l.priceCents * l.quantity),
      })),
      totalAmount: fromCents(lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0)),
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
    };
  },
};

function checked(quantity: number): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new CartRuleError(`quantity must be an integer from 1 to ${MAX_QUANTITY}`, 'invalid');
  }
  return quantity;
}

function missing(code: string): CartRuleError {
  return new CartRuleError(`Product with code '${code}' is not in the cart`, 'missing');
}
