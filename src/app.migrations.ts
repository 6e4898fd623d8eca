import { catalogMigrations } from './modules/catalog';
import { identityMigrations } from './modules/identity';
import { inventoryMigrations } from './modules/inventory';
import { notificationsMigrations } from './modules/notifications';
import { ordersMigrations } from './modules/orders';
import {
  CreateOutbox1763800002000,
  OutboxDestinations1765000000000,
  OutboxTraceContext1764600000000,
  ProcessedEvents1765200000000,
} from './platform/events';

/** Every module's migrations; TypeORM orders them by the timestamp in their names. */
export const appMigrations = [
  ...catalogMigrations,
  ...inventoryMigrations,
  CreateOutbox1763800002000,
  ...ordersMigrations,
  ...notificationsMigrations,
  ...identityMigrations,
  OutboxTraceContext1764600000000,
  OutboxDestinations1765000000000,
  ProcessedEvents1765200000000,
];
