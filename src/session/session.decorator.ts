import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { REQUEST_SESSION, USES_SESSION } from './session.constants';

const sessionParam = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<Record<symbol, unknown>>()[REQUEST_SESSION],
);

/**
 * Injects the request's `Session`. Only handlers that declare it pay for a session:
 * the decorator marks the handler, and the interceptor loads sessions for marked ones.
 */
export function Session(): ParameterDecorator {
  return (target, key, index) => {
    const handler = key === undefined ? target : (target as Record<string | symbol, object>)[key];
    Reflect.defineMetadata(USES_SESSION, true, handler);
    sessionParam()(target, key, index);
  };
}
