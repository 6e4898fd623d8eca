import { Cart, CartData, CLEANED_UP_MARKS, MAX_LINES } from './cart';

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

  describe('takeOrdered', () => {
    const cartOf = (...lines: Array<[string, number]>): CartData => ({
      lines: lines.map(([code, quantity]) => ({ ...book(code, 100), quantity })),
    });
    const quantities = (cart: ReturnType<typeof Cart.takeOrdered>) =>
      cart?.lines.map((l) => [l.code, l.quantity]);

    it('subtracts each ordered quantity once; a line at 0 goes; the order is marked', () => {
      const cart = Cart.takeOrdered(cartOf(['P108', 3], ['P109', 1], ['P110', 2]), 'o1', [
        { code: 'P108', quantity: 1 },
        { code: 'P109', quantity: 1 },
      ]);
      expect(quantities(cart)).toEqual([
        ['P108', 2],
        ['P110', 2],
      ]);
      expect(cart?.cleanedUp).toEqual(['o1']);
    });

    it('leaves a cart alone for an order already taken out of it, lines added since included', () => {
      const after = Cart.takeOrdered(cartOf(['P108', 1]), 'o1', [{ code: 'P108', quantity: 1 }]);
      const added = Cart.add(after, book('P108', 100), 1);
      expect(Cart.takeOrdered(added, 'o1', [{ code: 'P108', quantity: 1 }])).toEqual(added);
      expect(quantities(added)).toEqual([['P108', 1]]);
    });

    it('keeps the marks through every change, clearing included, and only the newest ones', () => {
      let cart: CartData | undefined = cartOf(['P100', 1]);
      for (let i = 0; i < CLEANED_UP_MARKS + 5; i++) {
        cart = Cart.takeOrdered(cart, `o${i}`, []);
      }
      cart = Cart.remove(Cart.setQuantity(Cart.add(cart, book('P101', 1), 1), 'P100', 2), 'P101');
      cart = Cart.clear(cart);
      expect(cart?.lines).toEqual([]);
      expect(cart?.cleanedUp).toHaveLength(CLEANED_UP_MARKS);
      expect(cart?.cleanedUp?.[0]).toBe(`o${CLEANED_UP_MARKS + 4}`);
      expect(Cart.clear(cartOf(['P100', 1]))).toBeUndefined();
    });
  });
});
