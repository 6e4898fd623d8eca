export { OrdersModule } from './orders.module';
export { ORDER_CREATED } from './events/order-created.event';
export type { OrderCreatedEvent } from './events/order-created.event';
export { ordersMigrations } from './infra/migrations';
export { ORDER_CREATED_ROUTING_KEY } from './events/order-created.message';
export type { OrderCreatedMessageV1 } from './events/order-created.message';
export { connectOrdersGrpc } from './grpc/orders-grpc.server';
