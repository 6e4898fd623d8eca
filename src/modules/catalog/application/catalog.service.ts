import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { pagedResult, PagedResult } from '../../../shared/paged-result';
import { CatalogApi, ProductDto } from '../catalog.api';
import { CATALOG_SETTINGS, CatalogSettings } from '../catalog.settings';
import { ExpiringCache } from '../infra/expiring-cache';
import { ProductEntity } from '../infra/product.entity';

export const PRODUCT_PAGE_SIZE = 10;
/** No real code is longer; longer ones go to the database, so cached keys stay small. */
const MAX_CACHED_CODE_LENGTH = 64;

/**
 * Products and pages are served from memory for at most `cacheTtlMs` after they were read
 * (see the README's "Catalog cache"). Cached values are frozen: they are shared by requests.
 */
@Injectable()
export class CatalogService implements CatalogApi {
  private readonly byCode: ExpiringCache<string, ProductDto | null>;
  private readonly pages: ExpiringCache<number, PagedResult<ProductDto>>;

  constructor(
    @InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>,
    @Inject(CATALOG_SETTINGS) settings: CatalogSettings,
  ) {
    const options = { ttlMs: settings.cacheTtlMs, max: settings.cacheMaxEntries };
    this.byCode = new ExpiringCache((code) => this.loadProduct(code), options);
    this.pages = new ExpiringCache((page) => this.loadPage(page), options);
  }

  listProducts(page: number): Promise<PagedResult<ProductDto>> {
    return this.pages.get(page);
  }

  findProduct(code: string): Promise<ProductDto | null> {
    return code.length > MAX_CACHED_CODE_LENGTH ? this.loadProduct(code) : this.byCode.get(code);
  }

  /** Cached codes from memory, all the others in one query (an order or a cart of 50 lines). */
  async findProducts(codes: readonly string[]): Promise<ProductDto[]> {
    const found = new Map<string, ProductDto | null>();
    for (const code of codes) {
      const cached = this.byCode.peek(code);
      if (cached) found.set(code, cached.value);
    }
    const missing = [...new Set(codes.filter((code) => !found.has(code)))];
    if (missing.length > 0) {
      const rows = await this.products.findBy({ code: In(missing) });
      const loaded = new Map(rows.map((r) => [r.code, toDto(r)]));
      for (const code of missing) {
        const product = loaded.get(code) ?? null;
        found.set(code, product);
        if (code.length <= MAX_CACHED_CODE_LENGTH) this.byCode.set(code, product);
      }
    }
    return codes.flatMap((code) => found.get(code) ?? []);
  }

  private async loadProduct(code: string): Promise<ProductDto | null> {
    const row = await this.products.findOneBy({ code });
    return row ? toDto(row) : null;
  }

  /** One query: the page and, through a window function, the total (a second one only past the end). */
  private async loadPage(page: number): Promise<PagedResult<ProductDto>> {
    const rows = await this.products
      .createQueryBuilder('p')
      .addSelect('count(*) OVER ()::int', 'total')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.code', 'ASC')
      .offset((page - 1) * PRODUCT_PAGE_SIZE)
      .limit(PRODUCT_PAGE_SIZE)
      .getRawAndEntities();
    const total =
      rows.raw.length > 0
        ? Number((rows.raw[0] as { total: number }).total)
        : await this.products.count();
    const result = pagedResult(rows.entities.map(toDto), total, page, PRODUCT_PAGE_SIZE);
    Object.freeze(result.data);
    return Object.freeze(result);
  }
}

function toDto(p: ProductEntity): ProductDto {
  return Object.freeze({
    code: p.code,
    name: p.name,
    description: p.description,
    imageUrl: p.imageUrl,
    price: Number(p.price),
  });
}
