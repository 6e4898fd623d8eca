import type { PagedResult } from '../../shared/paged-result';

export const CATALOG_API = Symbol('CATALOG_API');

export interface ProductDto {
  code: string;
  name: string;
  description: string;
  imageUrl: string;
  /** Exact to the cent; serialized as a JSON number with at most 2 decimals. */
  price: number;
}

/** What other modules may ask of the catalog. */
export interface CatalogApi {
  listProducts(page: number): Promise<PagedResult<ProductDto>>;
  findProduct(code: string): Promise<ProductDto | null>;
  /** The products among `codes` that exist, in the order of `codes`. */
  findProducts(codes: readonly string[]): Promise<ProductDto[]>;
}
