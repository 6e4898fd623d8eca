import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SessionManager } from '../../session';
import { MessageBroker } from '../events';
import { within } from '../within';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 1_500;

/** What `/health/ready` and the gRPC health service both report: Postgres and the session store. */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly sessions: SessionManager,
    private readonly broker: MessageBroker,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The checks' results, or a 503 naming what is down. */
  async check(): Promise<HealthCheckResult & { broker?: { status: string } }> {
    if (this.shutdown.draining) throw new ServiceUnavailableException('Not ready: shutting down');
    try {
      // Asked alongside, so a slow broker does not add its time to the probe.
      const broker = this.broker.enabled ? this.brokerStatus() : undefined;
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.sessionStore(),
      ]);
      return broker ? { ...result, broker: await broker } : result;
    } catch (e) {
      const result = (e as { response?: { error?: Record<string, unknown> } }).response;
      const down = Object.keys(result?.error ?? {});
      throw new ServiceUnavailableException({
        message: `Not ready: ${down.join(', ') || 'unknown'} down`,
        details: [result],
      });
    }
  }

  /**
   * Reported, but never makes the instance unready: orders are still taken while the broker
   * is down (the outbox holds their events), and failing every instance would stop them.
   */
  private async brokerStatus() {
    const up = await this.broker.ping(CHECK_TIMEOUT_MS);
    return { status: up ? 'up' : 'down' };
  }

  private async sessionStore() {
    const check = this.indicators.check('sessionStore');
    const store = this.sessions.storeKind;
    const pinged = this.sessions.ping().then(
      () => true,
      () => false,
    );
    return (await within(pinged, CHECK_TIMEOUT_MS, false))
      ? check.up({ store })
      : check.down({ store });
  }
}
