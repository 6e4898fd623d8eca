export { inventoryMigrations } from './infra/migrations';
