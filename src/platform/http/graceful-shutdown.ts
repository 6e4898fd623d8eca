import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from '../observability/shutdown-state';

/**
 * How long the listener keeps accepting after readiness turns 503: connections already
 * in the kernel's accept queue and requests already in socket buffers are picked up
 * (closing the listener at once resets them), and a balancer polling readiness moves on.
 */
const ACCEPT_GRACE_MS = 500;
const IDLE_SWEEP_MS = 50;
/** Event-loop turns that let pending I/O in: one accepts queued connections, one reads them. */
const IO_TURNS = 3;

/**
 * A timer can fire before the poll phase has seen I/O that arrived meanwhile (on a busy
 * machine, long before): yield to it, so queued connections are accepted and requests
 * already in socket buffers are parsed, before anything counts as idle.
 */
async function afterPendingIo(): Promise<void> {
  for (let i = 0; i < IO_TURNS; i++) await nextTurn();
}

/**
 * The drain on SIGTERM: readiness 503, WebSockets closed (1001), stop accepting, close each keep-alive connection
 * once its current response is out, answer every request already received, and only
 * then close the pools (app.close). The caller bounds the whole with its deadline.
 */
export async function drainAndClose(app: NestExpressApplication): Promise<void> {
  app.get(ShutdownState).drain();
  const server: Server = app.getHttpServer();
  await sleep(ACCEPT_GRACE_MS);
  await afterPendingIo();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // server.close() drops idle connections once; requests in flight then finish (their
  // responses say Connection: close) and their connections turn idle: sweep again.
  const sweep = setInterval(
    () => void afterPendingIo().then(() => server.closeIdleConnections()),
    IDLE_SWEEP_MS,
  );
  try {
    await closed;
  } finally {
    clearInterval(sweep);
  }
  await app.close();
}
