import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

export type SessionEventName = 'created' | 'deleted' | 'expired';

/** In-process session lifecycle events, for metrics and listeners. Payload: the session id. */
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
