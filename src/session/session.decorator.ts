import {
  createParamDecorator,
  ExecutionContext,
  Inject,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { REQUEST_SESSION, SESSION_RATE_COUNTER, USES_SESSION } from './session.constants';
import { SessionGuard, SessionRequest } from './session.guard';

export interface SessionParamOptions {
  /**
   * The handler works without a session store: if the store is down it gets an empty,
   * detached session whose changes are dropped, instead of a 503.
   */
  optional?: boolean;
}

const sessionParam = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<SessionRequest>()[REQUEST_SESSION]?.face,
);

/**
 * Injects the request's `HttpSession`. Only handlers that declare it pay for a session: the
 * decorator binds the SessionGuard to this handler alone, as `@UseGuards` does; the save
 * runs in the module's reply hook. No interceptor: Nest's interceptor pipeline alone cost
 * ~0.1 ms of CPU a request. Its responses are `Cache-Control: no-store`.
 */
export function Session(options: SessionParamOptions = {}): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('@Session() decorates a handler parameter');
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    SetMetadata(USES_SESSION, options.optional ? 'optional' : 'required')(target, key, descriptor);
    UseGuards(SessionGuard)(target, key, descriptor);
    sessionParam()(target, key, index);
  };
}

/** Injects the store's RateCounter (null when the store has none); its failures are 503s. */
export const InjectSessionRateCounter = (): ParameterDecorator => Inject(SESSION_RATE_COUNTER);
