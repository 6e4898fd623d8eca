import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestLine, routeOf } from './logging.request-line';

const req = (fields: Record<string, unknown>) => ({ method: 'GET', ...fields }) as IncomingMessage;
const res = { statusCode: 200 } as ServerResponse;

describe('request log line', () => {
  it('names the route template, or the path without its query when none matched', () => {
    expect(routeOf(req({ baseUrl: '', route: { path: '/api/products/:code' } }))).toBe(
      '/api/products/:code',
    );
    expect(routeOf(req({ originalUrl: '/nope?token=secret' }))).toBe('/nope');
    expect(routeOf(req({ url: `/${'x'.repeat(500)}` }))).toHaveLength(200);
  });

  it('is compact unless verbose: no request, response or headers', () => {
    const matched = req({ route: { path: '/api/cart' }, headers: { cookie: 'c' } });
    expect(requestLine(false).customSuccessObject(matched, res, { responseTime: 3 })).toEqual({
      method: 'GET',
      route: '/api/cart',
      status: 200,
      responseTime: 3,
    });
    const verbose = requestLine(true).customSuccessObject(matched, res, { responseTime: 3 });
    expect(verbose).toMatchObject({ req: matched, res });
  });

  it('adds the error to a failed request', () => {
    const err = new Error('boom');
    const line = requestLine(false).customErrorObject(req({}), res, err, { responseTime: 1 });
    expect(line).toMatchObject({ status: 200, err });
    expect(line).not.toHaveProperty('req');
  });
});
