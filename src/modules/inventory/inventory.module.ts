import { Module } from '@nestjs/common';
import { InventoryService } from './application/inventory.service';
import { INVENTORY_API } from './inventory.api';

@Module({
  providers: [InventoryService, { provide: INVENTORY_API, useExisting: InventoryService }],
  exports: [INVENTORY_API],
})
export class InventoryModule {}
