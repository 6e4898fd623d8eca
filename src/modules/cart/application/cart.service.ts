import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { HttpSession } from '../../../session';
import { CATALOG_API, CatalogApi } from '../../catalog';
import { toCents } from '../../../shared/money';
import { CartApi, CartLineDto } from '../cart.api';
import { Cart, CartData, CartInput, CartRuleError, CartView, OrderedLine } from '../domain/cart';
import { CART } from './cart.attribute';

@Injectable()
export class CartService implements CartApi {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  view(session: HttpSession): CartView {
    return Cart.view(session.read(CART));
  }

  async add(session: HttpSession, code: string, quantity: number): Promise<CartView> {
    const product = await this.catalog.findProduct(code);
    if (!product) throw new NotFoundException(`Product with code '${code}' not found`);
    const line = { code, name: product.name, priceCents: toCents(product.price) };
    return this.change(session, (cart) => Cart.add(cart, line, quantity));
  }

  setQuantity(session: HttpSession, code: string, quantity: number): Promise<CartView> {
    return this.change(session, (cart) => Cart.setQuantity(cart, code, quantity));
  }

  remove(session: HttpSession, code: string): Promise<CartView> {
    return this.change(session, (cart) => Cart.remove(cart, code));
  }

  /** Keeps the cleaned-up marks: a late retry of an order must still find its mark. */
  async clear(session: HttpSession): Promise<void> {
    if (session.read(CART) === undefined) return;
    await session.update(CART, (cart) => Cart.clear(cart));
  }

  lines(session: HttpSession): readonly CartLineDto[] {
    return session.read(CART)?.lines ?? [];
  }

  async removeOrdered(
    session: HttpSession,
    orderNumber: string,
    ordered: readonly OrderedLine[],
  ): Promise<void> {
    await session.update(CART, (cart) => Cart.takeOrdered(cart, orderNumber, ordered));
  }

  /** Every change is an atomic update of the attribute, so parallel requests never lose lines. */
  private async change(session: HttpSession, fn: (cart: CartInput) => CartData): Promise<CartView> {
    try {
      return Cart.view(await session.update(CART, fn));
    } catch (err) {
      if (!(err instanceof CartRuleError)) throw err;
      throw err.kind === 'missing'
        ? new NotFoundException(err.message)
        : new BadRequestException(err.message);
    }
  }
}
