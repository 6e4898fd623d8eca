import { RedisSessionStore } from '../../src/session/redis';
import { RedisServerHarness, startRedisCluster, startRedisServer } from '../support/redis-cluster';
import { info } from '../support/redis-servers/node-client';
import { testRedisStore } from '../support/redis';

const newSession = (n: number) => ({
  create: { creationTime: Date.now() },
  lastAccessedTime: Date.now(),
  maxInactiveInterval: 600,
  changes: new Map([['n', String(n)]]),
});
const ids = (count: number, tag: string) => Array.from({ length: count }, (_, i) => `${tag}-${i}`);

/** Calls of `command` a server has answered so far (INFO commandstats). */
async function calls(port: number, command: string): Promise<number> {
  const stat = (await info(port, 'commandstats'))[`cmdstat_${command}`];
  return Number(/calls=(\d+)/.exec(stat ?? '')?.[1] ?? 0);
}

/**
 * Durable saves (WAIT for a replica) where no replica can confirm, as on a master just promoted
 * by a failover. WAIT holds the node's one connection for its whole timeout, so concurrent
 * saves must not each send one: 12 of them would queue 12 × 500 ms of WAIT, and every save
 * and read behind the third would fail at the 2 s command timeout.
 */
describe('durable saves on a master without replicas', () => {
  let server: RedisServerHarness;
  let store: RedisSessionStore;

  beforeAll(async () => {
    server = await startRedisServer();
    store = testRedisStore(
      { mode: 'standalone', url: server.url },
      { durableReplicas: 1, durableTimeoutMs: 500, commandTimeoutMs: 2_000 },
    );
    expect(await store.ready(30_000)).toBe(true);
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('accepts 12 concurrent saves, and reads meanwhile, without a timeout', async () => {
    const saves = Promise.all(ids(12, 'a').map((id, n) => store.write(id, newSession(n))));
    const [results] = await Promise.all([saves, store.load('a-0')]);
    expect(results).toEqual(results.map(() => ({ status: 'ok' })));
    // The shortfall is remembered: the next burst is not held up by WAIT at all.
    const again = await Promise.all(ids(12, 'b').map((id, n) => store.write(id, newSession(n))));
    expect(again).toEqual(again.map(() => ({ status: 'ok' })));
    expect((await store.load('b-11'))?.attributes.get('n')).toBe('11');
  });
});

describe('durable saves on Redis Cluster', () => {
  it('confirms concurrent saves on every master with one WAIT per batch', async () => {
    const cluster = await startRedisCluster();
    const store = testRedisStore(
      { mode: 'cluster', nodes: cluster.nodes },
      { durableReplicas: 1, durableTimeoutMs: 1_000, commandTimeoutMs: 2_000 },
    );
    try {
      expect(await store.ready(30_000)).toBe(true);
      const masters = await cluster.masterPorts();
      const waitsBefore = await Promise.all(masters.map((port) => calls(port, 'wait')));
      const all = ids(60, 'c');
      const results = await Promise.all(all.map((id, n) => store.write(id, newSession(n))));
      expect(results).toEqual(all.map(() => ({ status: 'ok' })));
      // 60 saves at once: per master, the first leaves alone and the rest wait and leave together.
      const waits = await Promise.all(
        masters.map(async (port, i) => (await calls(port, 'wait')) - waitsBefore[i]),
      );
      const perMaster = waits.map((n, i) => ({
        port: masters[i],
        waits: n,
        oneOrTwo: n >= 1 && n <= 2,
      }));
      expect(perMaster).toEqual(perMaster.map((m) => ({ ...m, oneOrTwo: true })));
      const loaded = await Promise.all(all.map((id) => store.load(id)));
      expect(loaded.map((s) => s?.attributes.get('n'))).toEqual(all.map((_, n) => String(n)));
    } finally {
      await store.close();
      await cluster.stop();
    }
  }, 120_000);
});
