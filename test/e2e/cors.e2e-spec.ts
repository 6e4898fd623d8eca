import { useAppOnFreshDatabase } from '../support/app';

describe('CORS_ORIGINS enables credentialed CORS for the listed origins only', () => {
  const ctx = useAppOnFreshDatabase({
    CORS_ORIGINS: 'http://localhost:5173, http://127.0.0.1:5173',
  });
  const http = () => ctx.http();

  it('allows a listed origin with credentials', async () => {
    const res = await http()
      .options('/api/products')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('gives an unlisted origin no CORS headers', async () => {
    const res = await http().get('/api/products').set('Origin', 'http://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
