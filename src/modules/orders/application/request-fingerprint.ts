import { createHash } from 'node:crypto';
import { Customer } from '../order.model';

interface OrderRequest {
  customer: Customer;
  deliveryAddress: string;
  item?: { code: string; quantity: number };
  lines?: ReadonlyArray<{ code: string; quantity: number }>;
}

/**
 * A digest of what decides the order: the customer, the address and the item (or, from a
 * trusted service, the lines). The item's name and price are ignored by the server, so
 * they are not part of it either. Without lines the digest is the one kept since keys were.
 */
export function requestFingerprint(command: OrderRequest): string {
  const { name, email, phone } = command.customer;
  const item = command.item ? [command.item.code, command.item.quantity] : null;
  const fields: unknown[] = [name, email, phone, command.deliveryAddress, item];
  if (command.lines) fields.push(command.lines.map((l) => [l.code, l.quantity]));
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}
