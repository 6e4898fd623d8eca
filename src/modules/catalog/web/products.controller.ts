import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../../platform/http/error.response';
import { CATALOG_API, CatalogApi, ProductDto } from '../catalog.api';
import { ProductPageResponse, ProductResponse } from './product.response';
import { ProductsQuery } from './products.query';

@ApiTags('products')
@Controller('api/products')
export class ProductsController {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  @Get()
  @ApiOkResponse({ type: ProductPageResponse, description: '10 products a page, by name' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'page is not an integer ≥ 1' })
  list(@Query() query: ProductsQuery) {
    return this.catalog.listProducts(query.page);
  }

  @Get(':code')
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(@Param('code') code: string): Promise<ProductDto> {
    const product = await this.catalog.findProduct(code);
    if (!product) throw new NotFoundException(`Product with code '${code.slice(0, 64)}' not found`);
    return product;
  }
}
