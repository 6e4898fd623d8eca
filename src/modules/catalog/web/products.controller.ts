import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../../platform/http/error.response';
import { HttpSession, Session } from '../../../session';
import { RecentlyViewed } from '../application/recently-viewed';
import { coverSvg } from '../application/cover-svg';
import { CATALOG_API, CatalogApi, ProductDto } from '../catalog.api';
import { ProductPageResponse, ProductResponse } from './product.response';
import { ProductsQuery } from './products.query';

@ApiTags('products')
@Controller('api/products')
export class ProductsController {
  constructor(
    @Inject(CATALOG_API) private readonly catalog: CatalogApi,
    private readonly recent: RecentlyViewed,
  ) {}

  @Get()
  @ApiOkResponse({ type: ProductPageResponse, description: '10 products a page, by name' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'page is not an integer ≥ 1' })
  list(@Query() query: ProductsQuery) {
    return this.catalog.listProducts(query.page);
  }

  @Get('recently-viewed')
  @ApiOkResponse({ type: [ProductResponse], description: 'Newest first; empty without a session' })
  recentlyViewed(@Session({ optional: true }) session: HttpSession): Promise<ProductDto[]> {
    return this.catalog.findProducts(this.recent.list(session));
  }

  @Get(':code/cover')
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'A placeholder cover drawn from the title (SVG)' })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async cover(
    @Param('code') code: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { name } = await this.product(code);
    res.set({
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      // An image any page may show, a dev frontend on another port included.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    return coverSvg(code, name);
  }

  @Get(':code')
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(
    @Param('code') code: string,
    @Session({ optional: true }) session: HttpSession,
  ): Promise<ProductDto> {
    const product = await this.product(code);
    await this.recent.record(session, product.code);
    return product;
  }

  private async product(code: string): Promise<ProductDto> {
    const product = await this.catalog.findProduct(code);
    if (!product) throw new NotFoundException(`Product with code '${code.slice(0, 64)}' not found`);
    return product;
  }
}
