import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * created, deleted, expired (by the store), outlived (refused past its absolute lifetime),
 * revoked (by its owner, "my sessions"): payload the id; listed ("my sessions"): the principal.
 */
export type SessionEventName =
  'created' | 'deleted' | 'expired' | 'outlived' | 'revoked' | 'listed';

/** In-process session events of this instance, for metrics and listeners. */
@Injectable()
export class SessionEvents {
  private readonly emitter = new EventEmitter();

  on(event: SessionEventName, listener: (id: string) => void): void {
    this.emitter.on(event, listener);
  }

  emit(event: SessionEventName, id: string): void {
    this.emitter.emit(event, id);
  }
}
