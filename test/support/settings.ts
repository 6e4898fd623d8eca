import { getMetadataStorage } from 'class-validator';
import { AppEnv } from '../../src/config/env';
import { SessionEnv } from '../../src/config/session.env';
import { CatalogEnv } from '../../src/modules/catalog/catalog.settings';
import { IdentityEnv } from '../../src/modules/identity/identity.settings';
import { OrdersEnv } from '../../src/modules/orders/orders.settings';
import { BrokerEnv } from '../../src/platform/events/broker/broker.settings';
import { TracingEnv } from '../../src/platform/observability/tracing/tracing.settings';

/** Every environment variable the app validates: env.ts and the settings files beside modules. */
export function validatedVariables(): string[] {
  const fromClasses = [
    AppEnv,
    SessionEnv,
    CatalogEnv,
    IdentityEnv,
    OrdersEnv,
    BrokerEnv,
    TracingEnv,
  ].flatMap((cls) =>
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  return [...new Set(fromClasses)].sort();
}
