import { Cart, CartData, MAX_LINES } from './cart';

const book = (code: string, priceCents: number) => ({ code, name: `Book ${code}`, priceCents });

describe('Cart', () => {
  it('adds lines and adds quantity to an existing line', () => {
    let cart = Cart.add(undefined, book('P100', 3400), 2);
    cart = Cart.add(cart, book('P101', 4540), 1);
    cart = Cart.add(cart, book('P100', 3400), 3);
    expect(cart.lines.map((l) => [l.code, l.quantity])).toEqual([
      ['P100', 5],
      ['P101', 1],
    ]);
  });

  it('keeps the price of the line as it was when added', () => {
    const cart = Cart.add(Cart.add(undefined, book('P100', 3400), 1), book('P100', 9999), 1);
    expect(cart.lines[0]).toMatchObject({ priceCents: 3400, quantity: 2 });
  });

  it('computes exact totals and the item count', () => {
    let cart: CartData = Cart.add(undefined, book('A', 2999), 5);
    cart = Cart.add(cart, book('B', 4540), 3);
    expect(Cart.view(cart)).toEqual({
      items: [
        { code: 'A', name: 'Book A', price: 29.99, quantity: 5, subtotal: 149.95 },
        { code: 'B', name: 'Book B', price: 45.4, quantity: 3, subtotal: 136.2 },
      ],
      totalAmount: 286.15,
      itemCount: 8,
    });
  });

  it('views an absent cart as empty', () => {
    expect(Cart.view(undefined)).toEqual({ items: [], totalAmount: 0, itemCount: 0 });
  });

  it.each([0, -1, 1.5, 100, NaN])('rejects quantity %p', (q) => {
    expect(() => Cart.add(undefined, book('P100', 100), q)).toThrow('quantity must be');
  });

  it('rejects adding beyond 99 on one line', () => {
    const cart = Cart.add(undefined, book('P100', 100), 60);
    expect(() => Cart.add(cart, book('P100', 100), 40)).toThrow('quantity must be');
  });

  it('sets and removes lines; a missing line is reported as missing', () => {
    const cart = Cart.add(undefined, book('P100', 100), 1);
    expect(Cart.setQuantity(cart, 'P100', 7).lines[0].quantity).toBe(7);
    expect(Cart.remove(cart, 'P100').lines).toEqual([]);
    expect(() => Cart.setQuantity(cart, 'P999', 1)).toThrow(
      expect.objectContaining({ kind: 'missing' }),
    );
    expect(() => Cart.remove(cart, 'P999')).toThrow(expect.objectContaining({ kind: 'missing' }));
  });

  it(`holds at most ${MAX_LINES} lines`, () => {
    let cart: CartData = Cart.empty();
    for (let i = 0; i < MAX_LINES; i++) cart = Cart.add(cart, book(`C${i}`, 100), 1);
    expect(() => Cart.add(cart, book('ONE-MORE', 100), 1)).toThrow(`at most ${MAX_LINES} lines`);
    expect(Cart.add(cart, book('C0', 100), 1).lines).toHaveLength(MAX_LINES);
  });

  it('never changes the cart it was given', () => {
    const cart = Object.freeze({
      lines: Object.freeze([Object.freeze({ ...book('P1', 1), quantity: 1 })]),
    });
    expect(() => Cart.add(cart, book('P2', 1), 1)).not.toThrow();
    expect(() => Cart.setQuantity(cart, 'P1', 3)).not.toThrow();
    expect(cart.lines).toHaveLength(1);
  });
});
