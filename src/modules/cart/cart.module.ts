import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { CartService } from './application/cart.service';
import { CART_API } from './cart.api';
import { LiveCartModule } from './live/live-cart.module';
import { CartController } from './web/cart.controller';

/**
 * LIVE_CART=false: no gateway at all (no upgrade handler, no event listener). Read when the
 * module is declared, not through ConditionalModule: that one arms a timer at import and
 * throws from it in any process that imports the app without starting it (a test runner), or
 * starts it slowly on a busy machine. The value is validated with the rest of the
 * environment (`src/config/env.ts`: only `true` or `false`).
 */
const liveCart = process.env.LIVE_CART === 'false' ? [] : [LiveCartModule];

@Module({
  imports: [CatalogModule, ...liveCart],
  controllers: [CartController],
  providers: [CartService, { provide: CART_API, useExisting: CartService }],
  exports: [CART_API],
})
export class CartModule {}
