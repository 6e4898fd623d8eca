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
import type { SessionClient } from './session-state';
import { rethrowForHttp } from './session-store-failure';
import type { ResolvedSessionOptions } from './session.options';

/** The request as the module sees it: Express's `ip`, and what the guard leaves on it. */
export type SessionRequest = IncomingMessage & {
  ip?: string;
  [REQUEST_SESSION]?: LoadedSession;
  [UNSAVED_SESSION]?: SessionUse;
};

/** Express computes `ip` from the trusted proxies on every read: only read when needed. */
class RequestClient implements SessionClient {
  constructor(private readonly req: SessionRequest) {}

  get address(): string {
    return this.req.ip ?? 'unknown';
  }

  get userAgent(): string {
    return this.req.headers['user-agent'] ?? '';
  }
}

/**
 * Loads the session of a handler that takes one (bound by @Session()), before the handler's
 * pipes run. A guard is awaited directly: no rxjs, no interceptor pipeline per request. Its
 * response depends on the caller's session, so no cache may keep it (`no-store`). Once the id
 * changes (created, rotated, ended), it goes on the response when its headers are written, on
 * every path (errors included).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly transport: SessionIdTransport;
  private readonly writeId: (this: ServerResponse) => void;
  /** Per handler: its @Session() use, read from the metadata once. */
  private readonly uses = new WeakMap<object, SessionUse>();

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
    const use = this.useOf(context.getHandler());
    const client = new RequestClient(req);
    let session: LoadedSession;
    try {
      session = await this.loader.open(this.transport.read(req), client);
    } catch (err) {
      if (use !== 'optional') rethrowForHttp(err);
      session = this.loader.detached(client);
    }
    session.state.onIdChange = () => onHeaders(res, this.writeId);
    req[REQUEST_SESSION] = session;
    req[UNSAVED_SESSION] = use;
    return true;
  }

  private useOf(handler: object): SessionUse {
    let use = this.uses.get(handler);
    if (use === undefined) {
      use = this.reflector.get<SessionUse>(USES_SESSION, handler as () => unknown);
      this.uses.set(handler, use);
    }
    return use;
  }
}
