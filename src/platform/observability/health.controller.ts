import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SessionManager } from '../../session';
import { MessageBroker, MessageConsumer } from '../events';
import { ShutdownState } from './shutdown-state';
import { within } from '../within';

const CHECK_TIMEOUT_MS = 1_500;

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly sessions: SessionManager,
    private readonly broker: MessageBroker,
    private readonly consumer: MessageConsumer,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up' })
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOkResponse({
    description:
      'PostgreSQL and the session store answer; with RabbitMQ, `broker` reports it and `consumer` whether the app consumes its queue',
  })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the message names it' })
  async ready() {
    if (this.shutdown.draining) throw new ServiceUnavailableException('Not ready: shutting down');
    try {
      // Asked alongside, so a slow broker does not add its time to the probe.
      const broker = this.broker.enabled ? this.brokerStatus() : undefined;
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.sessionStore(),
      ]);
      const consumer = this.consumer.enabled ? { consumer: this.consumer.status() } : {};
      return broker ? { ...result, broker: await broker, ...consumer } : result;
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
