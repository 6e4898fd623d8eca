import { Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { CatalogModule } from '../catalog';
import { CartService } from './application/cart.service';
import { CART_API } from './cart.api';
import { LiveCartModule } from './live/live-cart.module';
import { CartController } from './web/cart.controller';

@Module({
  imports: [
    CatalogModule,
    // LIVE_CART=false: no gateway at all (no upgrade handler, no event listener).
    // It waits for the validated environment; the default 5 s ran out on a busy machine.
    ConditionalModule.registerWhen(LiveCartModule, (env) => env.LIVE_CART !== 'false', {
      timeout: 60_000,
    }),
  ],
  controllers: [CartController],
  providers: [CartService, { provide: CART_API, useExisting: CartService }],
  exports: [CART_API],
})
export class CartModule {}
