import type { CartLine } from './load-types';

/** Order-insensitive identity of a cart: `P100x2,P103x1`. */
export function cartKey(lines: readonly CartLine[]): string {
  return [...lines]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((l) => `${l.code}x${l.quantity}`)
    .join(',');
}

/** The (code, quantity) lines of a Cart body, or undefined if it is not one. */
export function linesOf(body: unknown): CartLine[] | undefined {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  return items.map((i: { code: string; quantity: number }) => ({
    code: i.code,
    quantity: i.quantity,
  }));
}

/** The cart after adding `quantity` of `code`. */
export function withAdded(cart: readonly CartLine[], code: string, quantity: number): CartLine[] {
  const existing = cart.find((l) => l.code === code);
  if (!existing) return [...cart, { code, quantity }];
  return cart.map((l) => (l.code === code ? { code, quantity: l.quantity + quantity } : l));
}

/** The cart after setting the quantity of `code`. */
export function withQuantity(
  cart: readonly CartLine[],
  code: string,
  quantity: number,
): CartLine[] {
  return cart.map((l) => (l.code === code ? { code, quantity } : l));
}
