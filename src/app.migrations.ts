import { catalogMigrations } from './modules/catalog';
import { inventoryMigrations } from './modules/inventory';

/** Every module's migrations; TypeORM orders them by the timestamp in their names. */
export const appMigrations = [...catalogMigrations, ...inventoryMigrations];
