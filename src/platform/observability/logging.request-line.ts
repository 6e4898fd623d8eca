import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_PATH_CHARS = 200;

type Request = IncomingMessage & {
  baseUrl?: string;
  originalUrl?: string;
  route?: { path: string };
};

/** The matched route template (`/api/products/:code`); the path without its query when none matched. */
export function routeOf(req: Request): string {
  if (req.route) return `${req.baseUrl ?? ''}${req.route.path}`;
  const url = req.originalUrl ?? req.url ?? '';
  const end = url.indexOf('?');
  return (end < 0 ? url : url.slice(0, end)).slice(0, MAX_PATH_CHARS);
}

/**
 * What pino-http logs when a request ends: one compact line (method, route, status,
 * `responseTime` in ms; the request id is bound to the logger) at `info`; the full
 * request and response, headers included and redacted, only when `verbose` (debug, trace).
 */
export function requestLine(verbose: boolean) {
  const line = (req: Request, res: ServerResponse, responseTime: number) => ({
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    responseTime,
    ...(verbose ? { req, res } : {}),
  });
  return {
    customSuccessObject: (req: Request, res: ServerResponse, val: { responseTime: number }) =>
      line(req, res, val.responseTime),
    customErrorObject: (
      req: Request,
      res: ServerResponse,
      err: Error,
      val: { responseTime: number },
    ) => ({ ...line(req, res, val.responseTime), err }),
  };
}
