export { CatalogModule } from './catalog.module';
export { CATALOG_API } from './catalog.api';
export type { CatalogApi, ProductDto } from './catalog.api';
export { catalogMigrations } from './infra/migrations';
