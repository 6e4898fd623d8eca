import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogService } from './application/catalog.service';
import { RecentlyViewed } from './application/recently-viewed';
import { CATALOG_API } from './catalog.api';
import { CATALOG_SETTINGS, catalogSettings } from './catalog.settings';
import { ProductEntity } from './infra/product.entity';
import { ProductsController } from './web/products.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ProductEntity])],
  controllers: [ProductsController],
  providers: [
    { provide: CATALOG_SETTINGS, useFactory: () => catalogSettings(process.env) },
    CatalogService,
    RecentlyViewed,
    { provide: CATALOG_API, useExisting: CatalogService },
  ],
  exports: [CATALOG_API],
})
export class CatalogModule {}
