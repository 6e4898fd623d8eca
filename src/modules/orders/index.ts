export { OrdersModule } from './orders.module';
export { ORDER_CREATED } from './events/order-created.event';
export type { OrderCreatedEvent } from './events/order-created.event';
export { ordersMigrations } from './infra/migrations';
