import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { waitFor } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

describe('readiness follows the database', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = new TcpProxy(db.url);
    await proxy.start();
    app = await startApp({ DATABASE_URL: proxy.url });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('reports the database down with 503, keeps liveness, and recovers without restart', async () => {
    await http().get('/health/ready').expect(200);

    await proxy.stop();
    const down = await http().get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 503, message: 'Not ready: database down' });
    await http().get('/health/live').expect(200);
    const products = await http().get('/api/products').expect(503);
    expect(products.headers['retry-after']).toBe('5');
    expect(products.body).toMatchObject({ status: 503, message: 'Database unavailable' });

    await proxy.start();
    await waitFor('ready again', async () => (await http().get('/health/ready')).status === 200);
    await http().get('/api/products').expect(200);
  });
});
