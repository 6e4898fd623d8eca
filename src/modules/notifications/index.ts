export { NotificationsModule } from './notifications.module';
export { notificationsMigrations } from './infra/migrations';
