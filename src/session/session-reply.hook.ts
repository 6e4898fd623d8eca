import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { REQUEST_SESSION, UNSAVED_SESSION } from './session.constants';
import type { SessionRequest } from './session.guard';
import { SessionSaver } from './session-saver';
import { rethrowForHttp } from './session-store-failure';

type Reply = (response: ServerResponse, body: unknown, statusCode?: number) => unknown;
const HOOKED = Symbol('session:reply-hooked');

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
    private readonly saver: SessionSaver,
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
      const saving = this.saver.commit(req[REQUEST_SESSION]!.state);
      if (!saving) return reply(response, body, statusCode);
      return saving.then(
        () => reply(response, body, statusCode),
        (err: unknown) => {
          if (use !== 'optional') rethrowForHttp(err);
          return reply(response, body, statusCode);
        },
      );
    };
  }
}
