import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import onHeaders from 'on-headers';
import { HttpSession } from './http-session';
import {
  REQUEST_SESSION,
  SESSION_OPTIONS,
  SessionUse,
  UNSAVED_SESSION,
  USES_SESSION,
} from './session.constants';
import { SessionIdTransport } from './session-id.transport';
import { SessionManager } from './session.manager';
import { ResolvedSessionOptions } from './session.options';
import { asHttpError } from './session-store-failure';

export type SessionRequest = Request & {
  [REQUEST_SESSION]?: HttpSession;
  [UNSAVED_SESSION]?: SessionUse;
};

/**
 * Loads the session of a handler that takes one (bound by @Session()), before the handler's
 * pipes run. A guard is awaited directly: no rxjs, no interceptor pipeline per request.
 * The id goes on the response when its headers are written, on every path (errors included).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly transport: SessionIdTransport;
  private readonly writeId: (this: Response) => void;

  constructor(
    private readonly manager: SessionManager,
    @Inject(SESSION_OPTIONS) options: ResolvedSessionOptions,
  ) {
    const transport = (this.transport = new SessionIdTransport(options));
    this.writeId = function (this: Response) {
      const session = (this.req as SessionRequest)[REQUEST_SESSION];
      if (session) transport.write(this, session);
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<SessionRequest>();
    const res = http.getResponse<Response>();
    const use = Reflect.getMetadata(USES_SESSION, context.getHandler()) as SessionUse;
    const clientKey = req.ip ?? 'unknown';
    try {
      req[REQUEST_SESSION] = await this.manager.open(this.transport.read(req), clientKey);
    } catch (err) {
      if (use !== 'optional') throw asHttpError(res, err);
      req[REQUEST_SESSION] = this.manager.detached(clientKey);
    }
    req[UNSAVED_SESSION] = use;
    onHeaders(res, this.writeId);
    return true;
  }
}
