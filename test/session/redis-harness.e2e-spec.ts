import { connect } from 'node:net';
import Redis, { Cluster } from 'ioredis';
import {
  RedisClusterHarness,
  RedisNodeAddress,
  RedisSentinelHarness,
  startRedisCluster,
  startRedisSentinel,
} from '../support/redis-cluster';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Clients need a moment to notice a failover; give them a bounded window, not forever. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(200);
    }
  }
}

function isListening({ host, port }: RedisNodeAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function listening(nodes: RedisNodeAddress[]): Promise<RedisNodeAddress[]> {
  const up = await Promise.all(nodes.map(isListening));
  return nodes.filter((_, i) => up[i]);
}

describe('redis test harness', () => {
  let cluster: RedisClusterHarness | undefined;
  let sentinel: RedisSentinelHarness | undefined;
  const clients: Array<Redis | Cluster> = [];

  afterAll(async () => {
    // Disconnecting an ended client arms a 2 s ioredis timer that keeps jest from exiting.
    for (const client of clients) if (client.status !== 'end') client.disconnect();
    await Promise.allSettled([cluster?.stop(), sentinel?.stop()]);
  });

  it('runs a 3+3 cluster that keeps acknowledged writes when a master dies', async () => {
    cluster = await startRedisCluster();
    expect(cluster.nodes).toHaveLength(6);
    const masters = await cluster.masterPorts();
    expect(masters).toHaveLength(3);
    expect(masters).toEqual(
      cluster.nodes
        .slice(0, 3)
        .map((n) => n.port)
        .sort((a, b) => a - b),
    );

    const client = new Cluster([cluster.nodes[0]], { redisOptions: { connectTimeout: 1_000 } });
    client.on('error', () => {}); // the killed master's connection errors are expected
    clients.push(client);

    const keys = Array.from({ length: 30 }, (_, i) => `book:${i}`);
    for (const key of keys) await client.set(key, `value of ${key}`);
    for (const key of keys) expect(await client.get(key)).toBe(`value of ${key}`);
    const owners = new Set(await Promise.all(keys.map((key) => cluster!.masterFor(key))));
    expect([...owners].sort((a, b) => a - b)).toEqual(masters);
    expect(client.nodes('master')).toHaveLength(3);

    // WAIT must run on the connection that wrote; a pipeline pins both to the key's master.
    const key = 'session:survivor';
    const replies = await client.pipeline().set(key, 'still here').call('WAIT', '1', '1000').exec();
    expect(replies).toEqual([
      [null, 'OK'],
      [null, 1],
    ]);

    const { killedPort, promotedPort, failoverMs } = await cluster.killMasterFor(key);
    expect(promotedPort).not.toBe(killedPort);
    expect(failoverMs).toBeLessThan(30_000);
    expect(await cluster.masterFor(key)).toBe(promotedPort);
    const mastersAfter = await cluster.masterPorts();
    expect(mastersAfter).toHaveLength(3);
    expect(mastersAfter).toContain(promotedPort);
    expect(mastersAfter).not.toContain(killedPort);

    expect(await eventually(() => client.get(key), 15_000)).toBe('still here');

    client.disconnect();
    await cluster.stop();
    expect(await listening(cluster.nodes)).toEqual([]);
  }, 120_000);

  it('runs a master, a replica and 3 sentinels that clients find the master through', async () => {
    sentinel = await startRedisSentinel();
    expect(sentinel.sentinels).toHaveLength(3);

    const client = new Redis({
      sentinels: sentinel.sentinels,
      name: sentinel.masterName,
      lazyConnect: true,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 1,
    });
    clients.push(client);
    await client.connect();

    expect(await client.set('session:sentinel', 'hello')).toBe('OK');
    expect(await client.get('session:sentinel')).toBe('hello');
    expect(await client.call('WAIT', '1', '1000')).toBe(1);
    expect(await client.info('server')).toContain(`tcp_port:${sentinel.masterPort}`);

    await client.quit();
    await sentinel.stop();
    const all = [
      ...sentinel.sentinels,
      { host: '127.0.0.1', port: sentinel.masterPort },
      { host: '127.0.0.1', port: sentinel.replicaPort },
    ];
    expect(await listening(all)).toEqual([]);
  }, 120_000);
});
