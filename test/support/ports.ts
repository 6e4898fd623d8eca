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

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, and resolves
 * with it. It is tried at least once. Probe errors count as "not yet" (a server refuses
 * connections while it boots), but the last one is named if time runs out. `alive()` returning
 * false stops the wait at once; it may also throw an error of its own that says more.
 */
export async function pollFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 100, alive = () => true }: PollOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (!alive()) throw new Error(`gave up waiting for ${what}: the process exited`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** pollFor with a yes/no probe: resolves once it holds. */
export async function pollUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: PollOptions,
): Promise<void> {
  await pollFor(what, async () => ((await probe()) ? true : undefined), options);
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  alive?: () => boolean;
}
