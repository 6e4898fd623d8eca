import { Injectable } from '@nestjs/common';

/** Set when a SIGTERM starts the drain: readiness answers 503 and connections stop being kept alive. */
@Injectable()
export class ShutdownState {
  draining = false;
  private readonly onDrain = new Set<() => void>();

  /** Called when the drain starts, e.g. to close long-lived sockets the HTTP server would wait for. */
  whenDraining(listener: () => void): void {
    this.onDrain.add(listener);
  }

  drain(): void {
    this.draining = true;
    for (const listener of this.onDrain) listener();
  }
}
