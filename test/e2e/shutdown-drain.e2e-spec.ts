import { Socket } from 'node:net';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { LOOPBACK, pollUntil } from '../support/ports';

const KEPT_ALIVE = 10;
const FRESH = 10;
const DEADLINE_MS = 10_000;

interface Answer {
  status: number;
  head: string;
  body: string;
}

/** Resolves with the next complete HTTP response on the socket. */
function nextAnswer(socket: Socket): Promise<Answer> {
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
      const body = data.subarray(headEnd + 4, headEnd + 4 + length).toString();
      resolve({ status: Number(head.split(' ')[1]), head, body });
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

const nextResponse = async (socket: Socket) => (await nextAnswer(socket)).status;

const connect = (port: number) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(port, LOOPBACK, () => resolve(socket));
  });

const send = (socket: Socket, text: string) =>
  new Promise<void>((resolve, reject) =>
    socket.write(text, (err) => (err ? reject(err) : resolve())),
  );

const write = (socket: Socket, page: number) =>
  send(
    socket,
    `GET /api/products?page=${page} HTTP/1.1\r\nHost: drain\r\nConnection: keep-alive\r\n\r\n`,
  );

/** True once a connection is refused: the listener is closed (a timeout proves nothing). */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(e.code === 'ECONNREFUSED');
    });
    socket.connect(port, LOOPBACK, () => {
      socket.destroy();
      resolve(false);
    });
  });

/** One app process per describe, stopped with its database and any sockets a test kept. */
function useAppProcess(): { app: () => AppProcess; sockets: Socket[] } {
  let db: TestDatabase | undefined;
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
  return { app: () => app!, sockets };
}

describe('SIGTERM drains: requests already sent are all answered', () => {
  const { app, sockets } = useAppProcess();

  it('answers every request written before SIGTERM and exits 0 within 10 s', async () => {
    const { port, proc } = app();
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

describe('a SIGTERM while requests are in flight', () => {
  const { app, sockets } = useAppProcess();

  it('turns readiness 503 (closing its connection), answers the requests in flight, and exits 0', async () => {
    const { port, proc } = app();
    const readiness = await connect(port);
    sockets.push(readiness);
    const before = nextAnswer(readiness);
    await send(readiness, 'GET /health/ready HTTP/1.1\r\nHost: drain\r\n\r\n');
    expect((await before).status).toBe(200);

    // Requests in flight: headers and half the body sent, so each handler is waiting for the rest.
    const body = JSON.stringify({ code: 'P100', quantity: 1 });
    const inFlight = await Promise.all(Array.from({ length: 3 }, () => connect(port)));
    sockets.push(...inFlight);
    const answers = inFlight.map((s) => nextResponse(s).catch((e: Error) => e.message));
    for (const s of inFlight) {
      await send(
        s,
        `POST /api/cart/items HTTP/1.1\r\nHost: drain\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
    }
    // A readiness request begun, not finished: its connection is busy, so the drain keeps it.
    const during = nextAnswer(readiness);
    await send(readiness, 'GET /health/ready HTTP/1.1\r\nHost: drain\r\n');
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');

    // The listener closes only after readiness has turned: from then on the drain is under way.
    await pollUntil('the listener to close after SIGTERM', () => refused(port), {
      timeoutMs: DEADLINE_MS,
      intervalMs: 50,
    });
    await send(readiness, '\r\n');
    const ready = await during;
    expect({ status: ready.status, body: JSON.parse(ready.body) as object }).toEqual({
      status: 503,
      body: expect.objectContaining({ status: 503, message: 'Not ready: shutting down' }),
    });
    expect(ready.head).toMatch(/^connection: close$/im);

    for (const s of inFlight) await send(s, body.slice(10));
    expect(await Promise.all(answers)).toEqual(inFlight.map(() => 201));
    expect(await exited).toBe(0);
  });
});
