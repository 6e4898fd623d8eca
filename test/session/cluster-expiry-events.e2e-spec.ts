import { randomBytes } from 'node:crypto';
import type { RedisSessionStore } from '../../src/session/redis';
import { waitFor } from '../support/http';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import { withClient } from '../support/redis-servers/node-client';
import { testRedisStore, writeExpiringSession } from '../support/redis';

/** The store's keyspace subscribers (one per node) as masters fail and their nodes leave. */
describe('session expiry events on Redis Cluster', () => {
  let cluster: RedisClusterHarness;
  let store: RedisSessionStore;
  let live: number[];
  const reports = new Map<string, number>();

  beforeAll(async () => {
    cluster = await startRedisCluster();
    live = cluster.nodes.map((n) => n.port);
    store = testRedisStore(
      { mode: 'cluster', nodes: cluster.nodes },
      { keyspaceNotifications: 'configure' },
    );
    store.onExpired((sid) => reports.set(sid, (reports.get(sid) ?? 0) + 1));
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  const pubsubClients = async (port: number) =>
    ((await withClient(port, (c) => c.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))) as string)
      .split('\n')
      .filter((line) => line.trim() !== '').length;

  async function oneSubscriberPerLiveNode(): Promise<boolean> {
    const counts = await Promise.all(live.map(pubsubClients));
    return counts.every((n) => n === 1);
  }

  /** A session in a slot of each current master, expired; resolves once each is reported. */
  async function expireOnEveryMaster(): Promise<string[]> {
    const sids = new Map<number, string>();
    const masters = await cluster.masterPorts();
    for (let tries = 0; sids.size < masters.length; tries++) {
      // Random ids hit each of 3 masters within a few tries; a master without slots never.
      if (tries === 1_000) throw new Error(`no session id lands on each of ${masters.join(', ')}`);
      const sid = randomBytes(32).toString('base64url');
      sids.set(await cluster.masterFor(store.sessionKey(sid)), sid);
    }
    for (const sid of sids.values()) await writeExpiringSession(store, sid);
    await waitFor(
      'every expired event',
      async () => {
        // An access expires the key at once instead of at a random sweep.
        for (const sid of sids.values()) if (!reports.has(sid)) await store.load(sid);
        return [...sids.values()].every((sid) => reports.has(sid));
      },
      60_000,
    );
    return [...sids.values()];
  }

  it('keeps one subscriber per live node through a failover, each expiry reported once', async () => {
    await waitFor('a subscriber on every node', oneSubscriberPerLiveNode, 60_000);
    await expireOnEveryMaster();

    const { killedPort } = await cluster.killMasterFor(store.sessionKey('victim'));
    live = live.filter((port) => port !== killedPort);
    await waitFor('one subscriber on each live node', oneSubscriberPerLiveNode, 60_000).catch(
      async (err: Error) => {
        const counts = await Promise.all(live.map(pubsubClients));
        throw new Error(`${err.message}; pubsub clients per live node: ${counts.join(', ')}`);
      },
    );

    const afterFailover = await expireOnEveryMaster();
    // Each subscriber sees its node's events in order, so a duplicate of the first round
    // would have arrived by the time the second round is in.
    await expireOnEveryMaster();
    expect(afterFailover.map((sid) => reports.get(sid))).toEqual(afterFailover.map(() => 1));
  }, 240_000);
});
