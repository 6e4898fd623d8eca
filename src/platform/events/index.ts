export { EventsModule } from './events.module';
export { OutboxRelay } from './outbox.relay';
export { publishInTransaction } from './outbox';
export type { OutboxEvent, OutboxListener } from './outbox';
export { CreateOutbox1763800002000 } from './migrations/1763800002000-create-outbox';
