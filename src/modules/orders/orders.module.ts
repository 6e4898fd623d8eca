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
import { OrdersRepository } from './infra/orders.repository';
import { OrdersController } from './web/orders.controller';

@Module({
  imports: [CatalogModule, CartModule, InventoryModule],
  controllers: [OrdersController],
  providers: [
    PlaceOrderService,
    CancelOrderService,
    OrdersRepository,
    OrderOwnership,
    OrderEventsPublisher,
    OrderEventsSubscriber,
    OrderFulfilment,
  ],
  exports: [OrderEventsSubscriber],
})
export class OrdersModule {}
