import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { CartService } from './application/cart.service';
import { CART_API } from './cart.api';
import { CartController } from './web/cart.controller';

@Module({
  imports: [CatalogModule],
  controllers: [CartController],
  providers: [CartService, { provide: CART_API, useExisting: CartService }],
  exports: [CART_API],
})
export class CartModule {}
