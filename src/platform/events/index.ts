export { EventsModule } from './events.module';
export { OutboxRelay } from './outbox.relay';
export { publishInTransaction } from './outbox';
export type { OutboxDelivery, OutboxEvent, OutboxListener } from './outbox';
export { MessageBroker } from './broker/message-broker';
export type { MessageProperties } from './broker/message-broker';
export { CreateOutbox1763800002000 } from './migrations/1763800002000-create-outbox';
export { OutboxTraceContext1764600000000 } from './migrations/1764600000000-outbox-trace-context';
