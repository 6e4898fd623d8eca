import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Response } from 'express';
import { REQUEST_SESSION, SessionUse, UNSAVED_SESSION } from './session.constants';
import type { SessionRequest } from './session.guard';
import { SessionManager } from './session.manager';
import { asHttpError } from './session-store-failure';

type Reply = (response: Response, body: unknown, statusCode?: number) => unknown;
const HOOKED = Symbol('bookstore:session:reply-hooked');

/**
 * Saves a request's session after its handler succeeded and before Nest writes the response:
 * the HTTP adapter's `reply` (every returned value goes through it: JSON, empty, streams) first
 * awaits the save. Nest awaits `reply`, so a failed save is thrown into the app's exception
 * filters and becomes a 503, never a 2xx. An error response (status >= 400, e.g. from an
 * exception filter) saves nothing: a handler that failed leaves no half-done changes.
 */
@Injectable()
export class SessionReplyHook implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly manager: SessionManager,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter as unknown as
      ({ reply: Reply } & Record<symbol, boolean>) | undefined;
    if (!adapter || adapter[HOOKED]) return; // no HTTP server, or hooked by another instance
    const reply = adapter.reply.bind(adapter);
    adapter[HOOKED] = true;
    adapter.reply = (response, body, statusCode) => {
      const req = response.req as SessionRequest | undefined;
      const use = req?.[UNSAVED_SESSION];
      if (!use) return reply(response, body, statusCode);
      req[UNSAVED_SESSION] = undefined; // one save per request, also if it fails
      if ((statusCode ?? response.statusCode) >= 400) return reply(response, body, statusCode);
      const saving = this.manager.commitIfNeeded(req[REQUEST_SESSION]!);
      if (!saving) return reply(response, body, statusCode);
      return this.afterSave(saving, use, () => reply(response, body, statusCode), response);
    };
  }

  private async afterSave(
    saving: Promise<void>,
    use: SessionUse,
    reply: () => unknown,
    response: Response,
  ): Promise<unknown> {
    try {
      await saving;
    } catch (err) {
      if (use !== 'optional') throw asHttpError(response, err);
    }
    return reply();
  }
}
