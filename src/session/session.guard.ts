import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Reflector } from '@nestjs/core';
import onHeaders from 'on-headers';
import {
  REQUEST_SESSION,
  SESSION_OPTIONS,
  SessionUse,
  UNSAVED_SESSION,
  USES_SESSION,
} from './session.constants';
import { SessionIdTransport } from './session-id.transport';
import { LoadedSession, SessionLoader } from './session-loader';
import { rethrowForHttp } from './session-store-failure';
import type { ResolvedSessionOptions } from './session.options';

/** The request as the module sees it: Express's `ip`, and what the guard leaves on it. */
export type SessionRequest = IncomingMessage & {
  ip?: string;
  [REQUEST_SESSION]?: LoadedSession;
  [UNSAVED_SESSION]?: SessionUse;
};

/**
 * Loads the session of a handler that takes one (bound by @Session()), before the handler's
 * pipes run. A guard is awaited directly: no rxjs, no interceptor pipeline per request. Its
 * response depends on the caller's session, so no cache may keep it (`no-store`). The id goes
 * on the response when its headers are written, on every path (errors included).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly transport: SessionIdTransport;
  private readonly writeId: (this: ServerResponse) => void;

  constructor(
    private readonly loader: SessionLoader,
    private readonly reflector: Reflector,
    @Inject(SESSION_OPTIONS) options: ResolvedSessionOptions,
  ) {
    const transport = (this.transport = new SessionIdTransport(options));
    this.writeId = function (this: ServerResponse) {
      const session = (this.req as SessionRequest)[REQUEST_SESSION];
      if (session) transport.write(this, session.state);
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<SessionRequest>();
    if (req[REQUEST_SESSION]) return true; // a second @Session() parameter of the same handler
    const res = http.getResponse<ServerResponse>();
    res.setHeader('Cache-Control', 'no-store');
    const use = this.reflector.get<SessionUse>(USES_SESSION, context.getHandler());
    const clientKey = req.ip ?? 'unknown';
    try {
      const userAgent = req.headers['user-agent'] ?? '';
      req[REQUEST_SESSION] = await this.loader.open(this.transport.read(req), clientKey, userAgent);
    } catch (err) {
      if (use !== 'optional') rethrowForHttp(err);
      req[REQUEST_SESSION] = this.loader.detached(clientKey);
    }
    req[UNSAVED_SESSION] = use;
    onHeaders(res, this.writeId);
    return true;
  }
}
