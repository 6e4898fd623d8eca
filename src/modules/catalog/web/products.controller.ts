import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../../platform/http/error.response';
import { HttpSession, Session } from '../../../session';
import { RecentlyViewed } from '../application/recently-viewed';
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

  @Get(':code')
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(
    @Param('code') code: string,
    @Session({ optional: true }) session: HttpSession,
  ): Promise<ProductDto> {
    const product = await this.catalog.findProduct(code);
    if (!product) throw new NotFoundException(`Product with code '${code.slice(0, 64)}' not found`);
    await this.recent.record(session, product.code);
    return product;
  }
}
