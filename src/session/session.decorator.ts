import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { REQUEST_SESSION, USES_SESSION } from './session.constants';
import { SessionInterceptor } from './session.interceptor';

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
 * decorator binds the SessionInterceptor to this handler alone, so every other route runs
 * with no interceptor at all (Nest's interceptor pipeline costs ~0.1 ms of CPU a request).
 */
export function Session(options: SessionParamOptions = {}): ParameterDecorator {
  return (target, key, index) => {
    const handler = key === undefined ? target : (target as Record<string | symbol, object>)[key];
    Reflect.defineMetadata(USES_SESSION, options.optional ? 'optional' : 'required', handler);
    const bound =
      (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    if (!bound.includes(SessionInterceptor)) {
      Reflect.defineMetadata(INTERCEPTORS_METADATA, [...bound, SessionInterceptor], handler);
    }
    sessionParam()(target, key, index);
  };
}
