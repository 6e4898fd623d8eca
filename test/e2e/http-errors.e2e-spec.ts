import { useAppOnFreshDatabase } from '../support/app';

const errorBody = (status: number, path: string) => ({
  status,
  error: expect.any(String),
  message: expect.any(String),
  timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  path,
});

describe('HTTP edge: errors, limits, headers', () => {
  const ctx = useAppOnFreshDatabase();
  const http = () => ctx.http();

  it.each(['0', '-1', 'abc', '1.5', '', '100001', '99999999999999999999'])(
    'rejects page=%p with 400 and the error body',
    async (page) => {
      const res = await http().get(`/api/products?page=${page}`).expect(400);
      expect(res.body).toMatchObject(errorBody(400, '/api/products'));
      expect(res.body.details).toEqual([{ field: 'page', message: expect.any(String) }]);
    },
  );

  it('rejects unknown query parameters', async () => {
    const res = await http().get('/api/products?page=1&sort=name').expect(400);
    expect(res.body.message).toContain('sort');
  });

  it('404s an unknown product, naming the code', async () => {
    const res = await http().get('/api/products/NOPE').expect(404);
    expect(res.body).toEqual({
      ...errorBody(404, '/api/products/NOPE'),
      error: 'Not Found',
      message: "Product with code 'NOPE' not found",
    });
  });

  it('404s an unknown route with JSON', async () => {
    const res = await http().get('/api/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject(errorBody(404, '/api/nothing-here'));
  });

  it('400s malformed JSON', async () => {
    const res = await http()
      .post('/api/products')
      .set('Content-Type', 'application/json')
      .send('{"code": ')
      .expect(400);
    expect(res.body).toMatchObject(errorBody(400, '/api/products'));
  });

  it('413s a 2 MB body', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) });
    const res = await http()
      .post('/api/products')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(413);
    expect(res.body).toMatchObject(errorBody(413, '/api/products'));
  });

  it('sets security headers and a request id on every response', async () => {
    const res = await http().get('/api/products/P100').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await http().get('/api/products/NOPE').set('X-Request-Id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const forged = await http().get('/health/live').set('X-Request-Id', 'bad id\twith tab');
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/); // replaced, not echoed
  });

  it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
    const res = await http().get('/api/products').set('Origin', 'http://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    await http().get('/health/live').expect(200, { status: 'up' });
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/products\/:code",status="200"\} [1-9]/,
    );
    const docs = await http().get('/api-docs').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/products', '/api/products/{code}', '/health/ready']),
    );
    await http().get('/swagger-ui').expect(200);
  });
});
