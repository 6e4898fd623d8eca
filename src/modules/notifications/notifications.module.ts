import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders';
import { OrderNotificationsListener } from './order-notifications.listener';

@Module({ imports: [OrdersModule], providers: [OrderNotificationsListener] })
export class NotificationsModule {}
