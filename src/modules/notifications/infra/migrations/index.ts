import { CreateNotifications1763800004000 } from './1763800004000-create-notifications';

export const notificationsMigrations = [CreateNotifications1763800004000];
