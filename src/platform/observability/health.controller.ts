import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Readiness } from './readiness';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up' })
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOkResponse({
    description:
      'PostgreSQL and the session store answer; `broker` reports RabbitMQ if configured; ' +
      '`outbox.waiting` counts undelivered events per destination (`broker`: waiting for RabbitMQ); ' +
      'with RabbitMQ, `consumer` tells whether the app consumes its queue',
  })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the message names it' })
  ready() {
    return this.readiness.check();
  }
}
