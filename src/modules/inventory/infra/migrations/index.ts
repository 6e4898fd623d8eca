import { CreateInventory1763800001000 } from './1763800001000-create-inventory';

export const inventoryMigrations = [CreateInventory1763800001000];
