import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { REQUEST_SESSION, USES_SESSION } from './session.constants';

const sessionParam = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<Record<symbol, unknown>>()[REQUEST_SESSION],
);

export interface SessionParamOptions {
  /**
   * The handler works without a session store: if the store is down it gets an empty,
   * detached session whose changes are dropped, instead of a 503.
   */
  optional?: boolean;
}

/**
 * Injects the request's `HttpSession`. Only handlers that declare it pay for a session:
 * the decorator marks the handler, and the interceptor loads sessions for marked ones.
 */
export function Session(options: SessionParamOptions = {}): ParameterDecorator {
  return (target, key, index) => {
    const handler = key === undefined ? target : (target as Record<string | symbol, object>)[key];
    Reflect.defineMetadata(USES_SESSION, options.optional ? 'optional' : 'required', handler);
    sessionParam()(target, key, index);
  };
}
