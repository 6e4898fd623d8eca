import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Server } from '@grpc/grpc-js';
import { within } from '../within';

/** In-flight calls get this long at shutdown; then the rest are cut. */
const DRAIN_MS = 5_000;

/**
 * A graceful gRPC shutdown, bounded: no new calls, in-flight ones finish. Streams that
 * never end by themselves (a health Watch, as client-side health checking keeps open)
 * would hold it up forever, so after DRAIN_MS the server is shut down hard. Runs before
 * Nest closes the server itself, which then finds it closed.
 */
@Injectable()
export class GrpcDrain implements BeforeApplicationShutdown {
  private readonly servers = new Set<Server>();

  track(server: Server): void {
    this.servers.add(server);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.servers].map((server) => this.drain(server)));
  }

  private async drain(server: Server): Promise<void> {
    const closed = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true)));
    if (!(await within(closed, DRAIN_MS, false))) server.forceShutdown();
  }
}
