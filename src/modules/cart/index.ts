export { CartModule } from './cart.module';
export { CART_API } from './cart.api';
export type { CartApi, CartLineDto } from './cart.api';
