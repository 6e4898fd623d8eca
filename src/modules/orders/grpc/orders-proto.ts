import { join } from 'node:path';

/** Copied beside the compiled code by the build (nest-cli.json assets), so dist/ has it too. */
export const ORDERS_PROTO = join(__dirname, 'orders.proto');
export const ORDERS_PACKAGE = 'bookstore.orders.v1';
export const ORDERS_SERVICE = `${ORDERS_PACKAGE}.OrdersService`;
