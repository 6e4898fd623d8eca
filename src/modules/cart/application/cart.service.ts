import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { HttpSession } from '../../../session';
import { CATALOG_API, CatalogApi } from '../../catalog';
import { toCents } from '../../../shared/money';
import { CartApi, CartLineDto } from '../cart.api';
import { Cart, CartData, CartInput, CartRuleError, CartView } from '../domain/cart';
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

  clear(session: HttpSession): void {
    if (session.read(CART) !== undefined) session.write(CART, undefined);
  }

  lines(session: HttpSession): readonly CartLineDto[] {
    return session.read(CART)?.lines ?? [];
  }

  async removeOrdered(session: HttpSession, ordered: readonly CartLineDto[]): Promise<void> {
    const taken = new Map(ordered.map((l) => [l.code, l.quantity]));
    await session.update(CART, (cart) => {
      const lines = (cart?.lines ?? []).flatMap((l) => {
        const left = l.quantity - (taken.get(l.code) ?? 0);
        return left > 0 ? [{ ...l, quantity: left }] : [];
      });
      return lines.length > 0 ? { lines } : undefined;
    });
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
