import { Global, Module } from '@nestjs/common';
import { BROKER_SETTINGS, brokerSettings } from './broker/broker.settings';
import { MessageBroker } from './broker/message-broker';
import { OutboxBacklog } from './outbox-backlog';
import { MessageConsumer } from './broker/message-consumer';
import { OUTBOX_SETTINGS, OutboxRelay, OutboxSettings } from './outbox.relay';

const DEFAULTS: OutboxSettings = {
  pollIntervalMs: 1_000,
  batchSize: 20,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
};

/**
 * The transactional outbox: publish in the business transaction, deliver after commit, to
 * in-process listeners and, when RABBITMQ_URL is set, through the MessageBroker, whose
 * messages the app's MessageConsumer takes back from its own queue; each destination keeps
 * its own delivery marks (outbox.ts, OutboxDestination).
 */
@Global()
@Module({
  providers: [
    { provide: OUTBOX_SETTINGS, useValue: DEFAULTS },
    { provide: BROKER_SETTINGS, useFactory: () => brokerSettings(process.env) },
    OutboxRelay,
    OutboxBacklog,
    MessageBroker,
    MessageConsumer,
  ],
  exports: [OutboxRelay, OutboxBacklog, MessageBroker, MessageConsumer],
})
export class EventsModule {}
