import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { pagedResult, PagedResult } from '../../../shared/paged-result';
import { CatalogApi, ProductDto } from '../catalog.api';
import { ProductEntity } from '../infra/product.entity';

export const PRODUCT_PAGE_SIZE = 10;

@Injectable()
export class CatalogService implements CatalogApi {
  constructor(
    @InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>,
  ) {}

  async listProducts(page: number): Promise<PagedResult<ProductDto>> {
    const [rows, total] = await this.products.findAndCount({
      order: { name: 'ASC', code: 'ASC' },
      skip: (page - 1) * PRODUCT_PAGE_SIZE,
      take: PRODUCT_PAGE_SIZE,
    });
    return pagedResult(rows.map(toDto), total, page, PRODUCT_PAGE_SIZE);
  }

  async findProducts(codes: readonly string[]): Promise<ProductDto[]> {
    if (codes.length === 0) return [];
    const rows = await this.products.findBy({ code: In([...codes]) });
    const byCode = new Map(rows.map((r) => [r.code, toDto(r)]));
    return codes.flatMap((code) => byCode.get(code) ?? []);
  }

  async findProduct(code: string): Promise<ProductDto | null> {
    const row = await this.products.findOneBy({ code });
    return row ? toDto(row) : null;
  }
}

function toDto(p: ProductEntity): ProductDto {
  return {
    code: p.code,
    name: p.name,
    description: p.description,
    imageUrl: p.imageUrl,
    price: Number(p.price),
  };
}
