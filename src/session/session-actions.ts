import { Inject, Injectable } from '@nestjs/common';
import type { SessionBackend } from './http-session';
import { randomBytes } from 'node:crypto';
import { DEVICE, PRINCIPAL, SessionAttribute, SessionDevice } from './session-attribute';
import { SESSION_OPTIONS } from './session.constants';
import { SessionRotation } from './session-rotation';
import { SessionSaver } from './session-saver';
import type { SessionState } from './session-state';
import { rethrowForHttp } from './session-store-failure';
import type { ResolvedSessionOptions } from './session.options';

/** What a handler's HttpSession does at once; a store failure reaches the handler as a 503. */
@Injectable()
export class SessionActions implements SessionBackend {
  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly saver: SessionSaver,
    private readonly rotation: SessionRotation,
  ) {}

  update<T>(
    state: SessionState,
    attribute: SessionAttribute<T>,
    fn: (current: T | undefined) => T | undefined,
  ): Promise<T | undefined> {
    return this.saver.update(state, attribute, fn).catch(rethrowForHttp);
  }

  invalidate(state: SessionState): Promise<void> {
    return this.rotation.invalidate(state).catch(rethrowForHttp);
  }

  rotate(state: SessionState): Promise<void> {
    return this.rotation.rotate(state).catch(rethrowForHttp);
  }

  signIn(state: SessionState, principal: string | undefined): void {
    state.stage(PRINCIPAL.name, principal === undefined ? null : JSON.stringify(principal));
    const device: SessionDevice | undefined = principal
      ? {
          handle: randomBytes(16).toString('base64url'),
          userAgent: state.client.userAgent.slice(0, 256),
          address: state.client.address.slice(0, 64),
        }
      : undefined;
    state.stage(DEVICE.name, device ? JSON.stringify(device) : null);
  }

  persist(state: SessionState, persistent: boolean): void {
    const { persistentTimeoutSeconds, timeoutSeconds } = this.options;
    state.setInterval(persistent ? persistentTimeoutSeconds : timeoutSeconds);
    state.persistent = persistent;
  }
}
