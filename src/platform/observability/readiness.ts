import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SessionStoreHealth } from '../../session';
import { MessageBroker, MessageConsumer, OutboxBacklog } from '../events';
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
    private readonly sessions: SessionStoreHealth,
    private readonly broker: MessageBroker,
    private readonly backlog: OutboxBacklog,
    private readonly consumer: MessageConsumer,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The checks' results, or a 503 naming what is down. */
  async check(): Promise<
    HealthCheckResult & {
      broker?: { status: string };
      consumer?: unknown;
      outbox: { waiting: unknown };
    }
  > {
    if (this.shutdown.draining) throw new ServiceUnavailableException('Not ready: shutting down');
    try {
      // Asked alongside, so a slow broker does not add its time to the probe.
      const broker = this.broker.enabled ? this.brokerStatus() : undefined;
      const outbox = this.outboxWaiting();
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.sessionStore(),
      ]);
      const detail = { ...result, outbox: await outbox };
      const consumer = this.consumer.enabled ? { consumer: this.consumer.status() } : {};
      return broker ? { ...detail, broker: await broker, ...consumer } : detail;
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

  /** Informational like the broker: a backlog is a delay, not a reason to take no traffic. */
  private async outboxWaiting() {
    const counted = this.backlog.waiting().catch(() => undefined);
    return { waiting: (await within(counted, CHECK_TIMEOUT_MS, undefined)) ?? 'unknown' };
  }

  private async sessionStore() {
    const check = this.indicators.check('sessionStore');
    const store = this.sessions.kind;
    const pinged = this.sessions.ping().then(
      () => true,
      () => false,
    );
    return (await within(pinged, CHECK_TIMEOUT_MS, false))
      ? check.up({ store })
      : check.down({ store });
  }
}
