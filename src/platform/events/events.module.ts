import { Global, Module } from '@nestjs/common';
import { OUTBOX_SETTINGS, OutboxRelay, OutboxSettings } from './outbox.relay';

const DEFAULTS: OutboxSettings = {
  pollIntervalMs: 1_000,
  batchSize: 20,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
};

/** The transactional outbox: publish in the business transaction, deliver after commit. */
@Global()
@Module({
  providers: [{ provide: OUTBOX_SETTINGS, useValue: DEFAULTS }, OutboxRelay],
  exports: [OutboxRelay],
})
export class EventsModule {}
