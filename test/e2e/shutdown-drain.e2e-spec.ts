import { Socket } from 'node:net';
import { ShutdownState } from '../../src/platform/observability/shutdown-state';
import { useAppOnFreshDatabase } from '../support/app';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { LOOPBACK } from '../support/ports';

const KEPT_ALIVE = 10;
const FRESH = 10;
const DEADLINE_MS = 10_000;

/** Resolves with the status of the next complete HTTP response on the socket. */
function nextResponse(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = data.subarray(0, headEnd).toString();
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < headEnd + 4 + length) return;
      cleanup();
      resolve(Number(head.split(' ')[1]));
    };
    const onEnd = (err?: Error) => {
      cleanup();
      reject(err ?? new Error('closed before a response'));
    };
    const cleanup = () => {
      socket.off('data', onData).off('error', onEnd).off('close', onEnd);
    };
    socket.on('data', onData).on('error', onEnd).on('close', onEnd);
  });
}

const connect = (port: number) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(port, LOOPBACK, () => resolve(socket));
  });

const write = (socket: Socket, page: number) =>
  new Promise<void>((resolve, reject) =>
    socket.write(
      `GET /api/products?page=${page} HTTP/1.1\r\nHost: drain\r\nConnection: keep-alive\r\n\r\n`,
      (err) => (err ? reject(err) : resolve()),
    ),
  );

describe('SIGTERM drains: requests already sent are all answered', () => {
  let db: TestDatabase;
  let app: AppProcess | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startAppProcess({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await app?.stop(1_000);
    await db?.drop();
  });

  it('answers every request written before SIGTERM and exits 0 within 10 s', async () => {
    const { port, proc } = app!;
    // Keep-alive connections that have served a request and sit idle...
    const idle = await Promise.all(Array.from({ length: KEPT_ALIVE }, () => connect(port)));
    sockets.push(...idle);
    for (const s of idle) {
      const first = nextResponse(s);
      await write(s, 1);
      expect(await first).toBe(200);
    }
    // ...and new connections, all with a request fully written, then SIGTERM at once.
    const fresh = await Promise.all(Array.from({ length: FRESH }, () => connect(port)));
    sockets.push(...fresh);
    const all = [...idle, ...fresh];
    const answers = all.map((s) => nextResponse(s).catch((e: Error) => e.message));
    await Promise.all(all.map((s, i) => write(s, 1 + (i % 2))));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    const signalledAt = Date.now();
    proc.kill('SIGTERM');

    expect(await Promise.all(answers)).toEqual(all.map(() => 200));
    const code = await exited;
    expect({ code, withinDeadline: Date.now() - signalledAt < DEADLINE_MS }).toEqual({
      code: 0,
      withinDeadline: true,
    });
  });
});

describe('while draining', () => {
  const ctx = useAppOnFreshDatabase();

  it('readiness answers 503 and every response closes its connection', async () => {
    await ctx.http().get('/health/ready').expect(200);
    ctx.app.get(ShutdownState).draining = true;
    const ready = await ctx.http().get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ status: 503, message: 'Not ready: shutting down' });
    expect(ready.headers.connection).toBe('close');
    const products = await ctx.http().get('/api/products').expect(200);
    expect(products.headers.connection).toBe('close');
  });
});
