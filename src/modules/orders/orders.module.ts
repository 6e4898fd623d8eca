import { Module } from '@nestjs/common';
import { CartModule } from '../cart';
import { CatalogModule } from '../catalog';
import { InventoryModule } from '../inventory';
import { OrderEventsPublisher } from './events/order-events.publisher';
import { CancelOrderService } from './application/cancel-order.service';
import { OrderFulfilment } from './application/order-fulfilment';
import { OrderEventsSubscriber } from './events/order-events.subscriber';
import { OrderOwnership } from './application/order-ownership';
import { PlaceOrderService } from './application/place-order.service';
import { GrpcBearerToken, GrpcRateLimit } from './grpc/grpc-caller.guards';
import { OrdersGrpcController } from './grpc/orders-grpc.controller';
import { OrdersRepository } from './infra/orders.repository';
import { ORDERS_SETTINGS, ordersSettings } from './orders.settings';
import { OrdersController } from './web/orders.controller';

@Module({
  imports: [CatalogModule, CartModule, InventoryModule],
  controllers: [OrdersController, OrdersGrpcController],
  providers: [
    { provide: ORDERS_SETTINGS, useFactory: () => ordersSettings(process.env) },
    PlaceOrderService,
    CancelOrderService,
    OrdersRepository,
    OrderOwnership,
    OrderEventsPublisher,
    OrderEventsSubscriber,
    OrderFulfilment,
    GrpcRateLimit,
    GrpcBearerToken,
  ],
  exports: [OrderEventsSubscriber],
})
export class OrdersModule {}
