import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { HttpSession } from './http-session';
import { REQUEST_SESSION, SESSION_OPTIONS, USES_SESSION } from './session.constants';
import { SessionStoreUnavailable } from './session.errors';
import { isWellFormedSessionId } from './session-id';
import { SessionManager } from './session.manager';
import { ResolvedSessionOptions } from './session.options';
import { SessionStoreUnavailableError } from './stores/session-store';

/**
 * Loads the session before a handler that asks for one and saves what changed after it.
 * If the handler throws, deferred changes are dropped; what was already committed
 * (update, rotation, invalidation) still reaches the client's cookie.
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly manager: SessionManager,
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.around(context, next));
  }

  /** One async function rather than an operator chain: less work per request. */
  private async around(context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const use = this.reflector.get<'required' | 'optional' | undefined>(
      USES_SESSION,
      context.getHandler(),
    );
    const optional = use === 'optional';
    const http = context.switchToHttp();
    const req = http.getRequest<Request & Record<symbol, unknown>>();
    const res = http.getResponse<Response>();
    const clientKey = req.ip ?? 'unknown';
    let session: HttpSession;
    try {
      session = await this.manager.open(this.requestedId(req), clientKey);
    } catch (err) {
      if (!optional) this.fail(res, err);
      session = this.manager.detached(clientKey);
    }
    req[REQUEST_SESSION] = session;
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.manager.commit(session).catch((err: unknown) => {
        if (!optional) throw err;
      });
    } catch (err) {
      this.writeId(res, session);
      this.fail(res, err);
    }
    this.writeId(res, session);
    return body;
  }

  private requestedId(req: Request): string | undefined {
    const raw =
      this.options.idResolver === 'header'
        ? req.headers[this.options.headerName.toLowerCase()]
        : readCookie(req.headers.cookie, this.options.cookieName);
    return isWellFormedSessionId(raw) ? raw : undefined;
  }

  /** Set-Cookie (or the header) only when the id is new or changed, or to clear it. */
  private writeId(res: Response, session: HttpSession): void {
    const { state } = session;
    if (res.headersSent) return;
    const maxAge = state.persistent ? state.record.maxInactiveInterval : undefined;
    if (state.id && state.idChanged) this.sendId(res, state.id, maxAge);
    else if (!state.id && state.invalidated) this.sendId(res, '');
    state.idChanged = false;
  }

  private sendId(res: Response, id: string, maxAgeSeconds?: number): void {
    const o = this.options;
    if (o.idResolver === 'header') return void res.setHeader(o.headerName, id);
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
    if (o.secureCookies) attributes.push('Secure');
    if (!id) attributes.push('Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    else if (maxAgeSeconds) attributes.push(`Max-Age=${maxAgeSeconds}`);
    res.append('Set-Cookie', [`${o.cookieName}=${id}`, ...attributes].join('; '));
  }

  private fail(res: Response, err: unknown): never {
    const mapped =
      err instanceof SessionStoreUnavailableError ? new SessionStoreUnavailable() : err;
    const retryAfter = (mapped as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (mapped instanceof HttpException && retryAfter && !res.headersSent) {
      res.setHeader('Retry-After', String(retryAfter));
    }
    throw mapped;
  }
}

/** The value of one cookie; ids are base64url, so no decoding is needed. */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
