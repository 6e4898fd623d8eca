import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { RedisSessionStore } from '../../src/session';
import { waitFor } from '../support/http';
import { accepts, freePort } from '../support/ports';
import { redisClient, testRedisStore } from '../support/redis';

/**
 * `keyspaceNotifications: 'configure'` on a redis-server of our own (never CONFIG SET on the
 * shared one): the flags are set once connected, and again after the server restarted
 * without them, so expiry events keep coming.
 */
describe('session expiry notifications on a restarted Redis', () => {
  let port: number;
  let server: ChildProcess | undefined;
  let store: RedisSessionStore;

  async function startServer(): Promise<void> {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
      stdio: 'ignore',
    });
    await waitFor('redis-server to accept connections', () => accepts(port), 15_000, 100);
  }

  async function stopServer(): Promise<void> {
    const proc = server;
    server = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  }

  const flags = async () => {
    const client = redisClient(`redis://127.0.0.1:${port}`);
    try {
      return ((await client.config('GET', 'notify-keyspace-events')) as string[])[1];
    } finally {
      client.disconnect();
    }
  };

  beforeAll(async () => {
    port = await freePort();
    await startServer();
    const url = `redis://127.0.0.1:${port}`;
    store = testRedisStore({ mode: 'standalone', url }, { keyspaceNotifications: 'configure' });
  });

  afterAll(async () => {
    await store?.close();
    await stopServer();
  });

  async function expectExpiryEvent(seen: string[]): Promise<void> {
    const id = `e${Date.now()}`.padEnd(43, 'x');
    const write = { lastAccessedTime: Date.now(), maxInactiveInterval: 1, changes: new Map() };
    expect(await store.write(id, { ...write, create: { creationTime: Date.now() } })).toEqual({
      status: 'ok',
    });
    await waitFor('the expired event', () => Promise.resolve(seen.includes(id)), 10_000, 100);
  }

  it('sets the flags when connected and again after a restart', async () => {
    const seen: string[] = [];
    store.onExpired((id) => seen.push(id));
    expect(await store.ready(10_000)).toBe(true);
    await waitFor('flags set', async () => /E/.test(await flags()) && /x/.test(await flags()));
    await expectExpiryEvent(seen);

    await stopServer();
    await startServer(); // a fresh server: no notify-keyspace-events
    await waitFor(
      'flags set again',
      async () => /E/.test(await flags()) && /x/.test(await flags()),
    );
    await waitFor('the store to answer again', async () => {
      await store.ping();
      return true;
    });
    await expectExpiryEvent(seen);
  });
});
