import { AddressInfo, createServer, Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A port the kernel just handed out on loopback; free again once this resolves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on loopback:port (one short attempt). */
export function accepts(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, LOOPBACK, () => done(true));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `intervalMs` until it holds, `alive()` turns false, or time runs out. */
export async function pollUntil(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs, intervalMs = 100, alive = () => true }: PollOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`gave up waiting for ${what}: the process exited`);
    if (await probe().catch(() => false)) return;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  alive?: () => boolean;
}
