/**
 * Money is held in integer cents; it becomes a decimal only at the edges (Postgres
 * numeric text in, JSON number with at most 2 decimals out), so 29.99 × 5 is 149.95.
 */
export type Cents = number;

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(decimal: string | number): Cents {
  const text = typeof decimal === 'number' ? decimal.toFixed(2) : decimal.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`Not a money amount: ${text}`);
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign ? -cents : cents;
}

/** A JSON-ready number: cents / 100 is exact to 2 decimals for any realistic amount. */
export function fromCents(cents: Cents): number {
  return Number((cents / 100).toFixed(2));
}

/** numeric(12,2) text for Postgres. */
export function centsToDecimal(cents: Cents): string {
  return (cents / 100).toFixed(2);
}
