import { createHash } from 'node:crypto';
import { Customer } from '../order.model';

interface OrderRequest {
  customer: Customer;
  deliveryAddress: string;
  item?: { code: string; quantity: number };
}

/**
 * A digest of what decides the order: the customer, the address and the item. The
 * item's name and price are ignored by the server, so they are not part of it either.
 */
export function requestFingerprint(command: OrderRequest): string {
  const { name, email, phone } = command.customer;
  const item = command.item ? [command.item.code, command.item.quantity] : null;
  const canonical = JSON.stringify([name, email, phone, command.deliveryAddress, item]);
  return createHash('sha256').update(canonical).digest('base64url');
}
