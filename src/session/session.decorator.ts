import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { REQUEST_SESSION, USES_SESSION } from './session.constants';
import { SessionGuard } from './session.guard';

export interface SessionParamOptions {
  /**
   * The handler works without a session store: if the store is down it gets an empty,
   * detached session whose changes are dropped, instead of a 503.
   */
  optional?: boolean;
}

const sessionParam = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<Record<symbol, unknown>>()[REQUEST_SESSION],
);

/**
 * Injects the request's `HttpSession`. Only handlers that declare it pay for a session: the
 * decorator binds the SessionGuard to this handler alone (as `@UseGuards` would); the save
 * runs in the module's reply hook. No interceptor: Nest's interceptor pipeline alone cost
 * ~0.1 ms of CPU a request.
 */
export function Session(options: SessionParamOptions = {}): ParameterDecorator {
  return (target, key, index) => {
    const handler = key === undefined ? target : (target as Record<string | symbol, object>)[key];
    Reflect.defineMetadata(USES_SESSION, options.optional ? 'optional' : 'required', handler);
    const bound = (Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [];
    if (!bound.includes(SessionGuard)) {
      Reflect.defineMetadata(GUARDS_METADATA, [...bound, SessionGuard], handler);
    }
    sessionParam()(target, key, index);
  };
}
