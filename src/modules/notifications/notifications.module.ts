import { Module } from '@nestjs/common';
import { OrderConfirmationListener } from './order-confirmation.listener';

@Module({ providers: [OrderConfirmationListener] })
export class NotificationsModule {}
