import { BadRequestException, Controller, Get, INestApplication, Query } from '@nestjs/common';
import request from 'supertest';
import { HttpSession, MemorySessionStore, Session } from '../../src/session';
import { startSessionApp } from '../support/session-app';

/** A route added by a later feature: nothing but its @Session() parameter marks it private. */
@Controller('fresh')
class FreshController {
  @Get('private')
  private(@Session() session: HttpSession, @Query('fail') fail?: string) {
    if (fail) throw new BadRequestException('failed');
    return { id: session.id ?? null };
  }

  @Get('optional')
  optional(@Session({ optional: true }) session: HttpSession) {
    return { id: session.id ?? null };
  }

  @Get('public')
  public() {
    return { ok: true };
  }
}

describe('Cache-Control of session routes', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startSessionApp(
      { store: new MemorySessionStore() },
      { controllers: [FreshController] },
    );
  });

  afterAll(() => app.close());

  it.each(['/fresh/private', '/fresh/optional', '/fresh/private?fail=1'])(
    'marks %s no-store, error responses too',
    async (path) => {
      const res = await http().get(path);
      expect([res.status < 500, res.headers['cache-control']]).toEqual([true, 'no-store']);
    },
  );

  it('leaves a route without @Session() to the app', async () => {
    const res = await http().get('/fresh/public').expect(200);
    expect(res.headers['cache-control']).toBeUndefined();
  });
});
