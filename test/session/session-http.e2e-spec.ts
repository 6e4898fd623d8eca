import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  MemorySessionStore,
  sessionAttribute,
  SessionEvents,
  SessionPrincipals,
} from '../../src/session';
import { SessionLoader } from '../../src/session/session-loader';
import { SessionSaver } from '../../src/session/session-saver';
import { countingStore } from '../support/counting-store';
import { testRedisStore } from '../support/redis';
import { sessionCookie, startSessionApp } from '../support/session-app';

const redisStore = () => testRedisStore();

describe.each([
  ['memory', () => new MemorySessionStore(100)],
  ['standalone Redis', redisStore],
])('sessions over HTTP (%s store)', (_, makeStore) => {
  let app: INestApplication;
  let calls: string[];
  const http = () => request(app.getHttpServer());
  const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });

  beforeAll(async () => {
    const counted = countingStore(makeStore());
    calls = counted.calls;
    app = await startSessionApp({ store: counted.store, maxSessionBytes: 4_096 });
  });

  afterAll(() => app.close());

  async function newSession(attrs: Record<string, unknown> = { a: 1 }): Promise<string> {
    let id: string | undefined;
    for (const [name, value] of Object.entries(attrs)) {
      const res = await http()
        .put(`/s/attrs/${name}`)
        .set(id ? as(id) : {})
        .send({ value });
      id ??= sessionCookie(res);
    }
    return id!;
  }

  it('costs nothing on a route that does not ask for the session', async () => {
    calls.length = 0;
    const res = await http()
      .get('/s/none')
      .set(as('A'.repeat(43)))
      .expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('creates nothing for a read without a session', async () => {
    calls.length = 0;
    const res = await http().get('/s/attrs').expect(200, {});
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('creates the session on the first write, with the cookie flags, then stays quiet', async () => {
    const res = await http().put('/s/attrs/a').send({ value: 1 }).expect(200);
    const id = sessionCookie(res);
    expect(id).toHaveLength(43);
    const again = await http().put('/s/attrs/b').set(as(id!)).send({ value: 2 }).expect(200);
    expect(again.headers['set-cookie']).toBeUndefined();
    await http().get('/s/attrs').set(as(id!)).expect(200, { a: 1, b: 2 });
  });

  it('writes nothing for an unchanged session within the refresh interval', async () => {
    const id = await newSession();
    calls.length = 0;
    await http().get('/s/attrs').set(as(id)).expect(200, { a: 1 });
    expect(calls).toEqual(['load']);
  });

  it('emits created and deleted events', async () => {
    const seen: string[] = [];
    const events = app.get(SessionEvents);
    events.on('created', (sid) => seen.push(`created:${sid}`));
    events.on('deleted', (sid) => seen.push(`deleted:${sid}`));
    const id = await newSession();
    await http().post('/s/invalidate').set(as(id)).expect(204);
    expect(seen).toEqual([`created:${id}`, `deleted:${id}`]);
  });

  it.each(['short', 'x'.repeat(44), `${'a'.repeat(42)}!`])(
    'ignores a malformed id (%p) without asking the store',
    async (bad) => {
      calls.length = 0;
      await http().get('/s/attrs').set(as(bad)).expect(200, {});
      expect(calls).toEqual([]);
    },
  );

  it('never adopts a forged well-formed id', async () => {
    const forged = 'F'.repeat(43);
    await http().get('/s/attrs').set(as(forged)).expect(200, {});
    const res = await http().put('/s/attrs/a').set(as(forged)).send({ value: 1 }).expect(200);
    const id = sessionCookie(res);
    expect(id).toBeDefined();
    expect(id).not.toBe(forged);
  });

  it('removes an attribute', async () => {
    const id = await newSession({ a: 1, b: 2 });
    await http().delete('/s/attrs/a').set(as(id)).expect(200);
    await http().get('/s/attrs').set(as(id)).expect(200, { b: 2 });
  });

  it('invalidates: cookie cleared, id dead', async () => {
    const id = await newSession();
    const res = await http().post('/s/invalidate').set(as(id)).expect(204);
    expect(res.headers['set-cookie']).toEqual([
      'BOOKSTORE_SESSION=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ]);
    await http().get('/s/attrs').set(as(id)).expect(200, {});
  });

  it('rotates the id on login, keeping the attributes; the old id is dead', async () => {
    const id = await newSession({ cart: ['P100'] });
    const res = await http().post('/s/login').set(as(id)).send({ user: 'alice' }).expect(201);
    const rotated = sessionCookie(res)!;
    expect(rotated).toHaveLength(43);
    expect(rotated).not.toBe(id);
    await http()
      .get('/s/attrs')
      .set(as(rotated))
      .expect(200, { cart: ['P100'], principalName: 'alice' });
    await http().get('/s/attrs').set(as(id)).expect(200, {});
    expect(await app.get(SessionPrincipals).find('alice')).toContain(rotated);
  });

  it('does not save changes of a handler that failed', async () => {
    const id = await newSession();
    await http().post('/s/set-then-fail').set(as(id)).expect(400);
    await http().get('/s/attrs').set(as(id)).expect(200, { a: 1 });
  });

  it('saves for 204 and streamed responses', async () => {
    const created = await http().post('/s/empty').expect(204);
    const id = sessionCookie(created)!;
    const streamed = await http().get('/s/stream').set(as(id)).expect(200);
    expect(Buffer.from(streamed.body as Buffer).toString()).toBe('hello');
    await http().get('/s/attrs').set(as(id)).expect(200, { empty: true, streamed: true });
  });

  it('makes in-place mutation of a read value impossible instead of losing it', async () => {
    const id = await newSession({ items: ['P100'] });
    const res = await http().post('/s/mutate').set(as(id)).expect(500);
    expect(res.body.status).toBe(500);
    await http()
      .get('/s/attrs')
      .set(as(id))
      .expect(200, { items: ['P100'] });
  });

  it('keeps concurrent writes of different attributes', async () => {
    const id = await newSession();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http().put(`/s/attrs/k${i}`).set(as(id)).send({ value: i }).expect(200),
      ),
    );
    const attrs = (await http().get('/s/attrs').set(as(id))).body;
    expect(Object.keys(attrs)).toHaveLength(21);
  });

  it('keeps all of 20 parallel updates of the same attribute', async () => {
    const id = await newSession();
    const codes = Array.from({ length: 20 }, (_, i) => `P${100 + i}`);
    await Promise.all(
      codes.map((item) => http().post('/s/items').set(as(id)).send({ item }).expect(201)),
    );
    const { items } = (await http().get('/s/attrs').set(as(id))).body as { items: string[] };
    expect([...items].sort()).toEqual(codes);
  });

  it('caps the size of one session with 413', async () => {
    const id = await newSession();
    const res = await http()
      .put('/s/attrs/big')
      .set(as(id))
      .send({ value: 'x'.repeat(5_000) });
    expect(res.status).toBe(413);
    await http().get('/s/attrs').set(as(id)).expect(200, { a: 1 });
  });

  it('never resurrects a session deleted while a request was using it', async () => {
    const id = await newSession();
    // A request that loaded the session before another one ended it, saving after that.
    const late = await app.get(SessionLoader).open(id, { address: 'test', userAgent: '' });
    await http().post('/s/invalidate').set(as(id)).expect(204);
    late.face.write(sessionAttribute('late'), true);
    await app.get(SessionSaver).commit(late.state);
    expect(late.face.id).toBeUndefined();
    await http().get('/s/attrs').set(as(id)).expect(200, {});
  });
});
