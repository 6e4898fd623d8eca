import { CreateNotifications1763800004000 } from './1763800004000-create-notifications';
import { OrderCancellations1765200001000 } from './1765200001000-order-cancellations';

export const notificationsMigrations = [
  CreateNotifications1763800004000,
  OrderCancellations1765200001000,
];
