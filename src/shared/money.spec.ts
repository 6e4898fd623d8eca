import { centsToDecimal, fromCents, toCents } from './money';

describe('money in cents', () => {
  it.each([
    ['34.00', 3400],
    ['45.4', 4540],
    ['0.07', 7],
    ['12', 1200],
    [29.99, 2999],
  ])('reads %p as %p cents', (input, cents) => {
    expect(toCents(input)).toBe(cents);
  });

  it('multiplies exactly', () => {
    expect(fromCents(toCents('29.99') * 5)).toBe(149.95);
    expect(fromCents(toCents('45.40') * 3)).toBe(136.2);
    expect(fromCents(toCents('0.10') + toCents('0.20'))).toBe(0.3);
  });

  it('writes Postgres numeric text', () => {
    expect(centsToDecimal(14995)).toBe('149.95');
    expect(centsToDecimal(7)).toBe('0.07');
  });

  it('rejects text that is not an amount', () => {
    expect(() => toCents('1.234')).toThrow('Not a money amount');
    expect(() => toCents('abc')).toThrow('Not a money amount');
  });
});
