import { createHash } from 'node:crypto';
import type { PlaceOrderCommand } from './place-order.service';

/**
 * A digest of what decides the order: the customer, the address and the item. The
 * item's name and price are ignored by the server, so they are not part of it either.
 */
export function requestFingerprint(command: PlaceOrderCommand): string {
  const { name, email, phone } = command.customer;
  const item = command.item ? [command.item.code, command.item.quantity] : null;
  const canonical = JSON.stringify([name, email, phone, command.deliveryAddress, item]);
  return createHash('sha256').update(canonical).digest('base64url');
}
