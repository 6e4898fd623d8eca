import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Server } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { Readiness } from '../observability/readiness';

/** How often the readiness checks are re-run for gRPC health (as often as a typical probe). */
const REFRESH_MS = 3_000;

type ServingStatus = 'SERVING' | 'NOT_SERVING';

/**
 * The standard grpc.health.v1.Health service, reporting what `/health/ready` reports, for
 * the server as a whole ('') and for each named service. Check and Watch answer from the
 * latest run, so a probe never waits on Postgres or Redis.
 */
@Injectable()
export class GrpcHealth implements BeforeApplicationShutdown {
  private readonly health = new HealthImplementation();
  private services: string[] = [];
  private status?: ServingStatus;
  private refreshing = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly readiness: Readiness) {}

  /** NOT_SERVING until the first checks have answered, a moment after start. */
  addToServer(server: Server, services: string[]): void {
    this.services = ['', ...services];
    this.set('NOT_SERVING');
    this.health.addToServer(server);
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** Watchers hear NOT_SERVING while the server drains. */
  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.set('NOT_SERVING');
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    const ready = await this.readiness.check().then(
      () => true,
      () => false,
    );
    this.refreshing = false;
    if (this.timer) this.set(ready ? 'SERVING' : 'NOT_SERVING');
  }

  /** Watchers hear of a change only. */
  private set(status: ServingStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const service of this.services) this.health.setStatus(service, status);
  }
}
