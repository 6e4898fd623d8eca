import { CreateOrders1763800003000 } from './1763800003000-create-orders';

export const ordersMigrations = [CreateOrders1763800003000];
