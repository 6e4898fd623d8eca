import { CreateOrders1763800003000 } from './1763800003000-create-orders';
import { AddRequestFingerprint1764620000000 } from './1764620000000-add-request-fingerprint';
import { IndexOrdersForServices1765100000000 } from './1765100000000-index-orders-for-services';

export const ordersMigrations = [
  CreateOrders1763800003000,
  AddRequestFingerprint1764620000000,
  IndexOrdersForServices1765100000000,
];
