import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up' })
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; details name it' })
  async ready() {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 1_500 })]);
    } catch (e) {
      const result = (e as { response?: { error?: Record<string, unknown> } }).response;
      const down = Object.keys(result?.error ?? {});
      throw new ServiceUnavailableException({
        message: `Not ready: ${down.join(', ') || 'unknown'} down`,
        details: [result],
      });
    }
  }
}
