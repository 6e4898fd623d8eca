import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOOPBACK } from '../ports';
import { RedisNodeAddress, replicaLinkUp, serverArgs, withClient } from './node-client';
import { claimPorts } from './ports';
import { budget, START_TIMEOUT_MS, Topology } from './topology';

const SENTINELS = 3;
const MASTER_NAME = 'bookstore';

export interface RedisSentinelHarness {
  sentinels: RedisNodeAddress[];
  masterName: string;
  masterPort: number;
  replicaPort: number;
  /** Stops every process it started, by pid, and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * 1 master, 1 replica and 3 sentinels (quorum 2, down-after 1 s) on free loopback ports.
 * Resolves once every sentinel knows the master, the replica and its peers, and the link is up.
 */
export function startRedisSentinel(): Promise<RedisSentinelHarness> {
  const left = budget(START_TIMEOUT_MS);
  return Topology.starting('redis-sentinel-', async (topology) => {
    const [masterPort, replicaPort, ...sentinelPorts] = await claimPorts(2 + SENTINELS, false);
    await startPair(topology, masterPort, replicaPort, left);
    await startSentinels(topology, sentinelPorts, masterPort, replicaPort, left);
    return {
      sentinels: sentinelPorts.map((port) => ({ host: LOOPBACK, port })),
      masterName: MASTER_NAME,
      masterPort,
      replicaPort,
      stop: () => topology.stop(),
    };
  });
}

/** Master and replica, resolved once the replica is in sync. */
async function startPair(
  topology: Topology,
  masterPort: number,
  replicaPort: number,
  left: () => number,
): Promise<void> {
  await topology.spawnServer(masterPort, serverArgs(masterPort, topology.dir));
  await topology.spawnServer(replicaPort, [
    ...serverArgs(replicaPort, topology.dir),
    '--replicaof',
    LOOPBACK,
    String(masterPort),
  ]);
  // Sentinels discover replicas from the master's INFO, so the replica must be attached first.
  await topology.poll(
    `replica ${replicaPort} to sync with master ${masterPort}`,
    left(),
    async () => ((await replicaLinkUp(replicaPort)) ? true : undefined),
  );
}

async function startSentinels(
  topology: Topology,
  ports: number[],
  masterPort: number,
  replicaPort: number,
  left: () => number,
): Promise<void> {
  for (const port of ports) {
    // Sentinel rewrites its config file, so it needs a writable one of its own.
    const file = join(topology.dir, `sentinel-${port}.conf`);
    await writeFile(file, sentinelConfig(port, topology.dir, masterPort));
    await topology.spawnServer(port, [file, '--sentinel']);
  }
  await topology.poll(
    'every sentinel to know the master, the replica and its peers',
    left(),
    async () => {
      const verdicts = await Promise.all(ports.map((p) => sentinelSeesAll(p, replicaPort)));
      return verdicts.every(Boolean) ? true : undefined;
    },
  );
}

function sentinelConfig(port: number, dir: string, masterPort: number): string {
  return [
    `port ${port}`,
    `bind ${LOOPBACK}`,
    'protected-mode no',
    'daemonize no',
    `dir "${dir}"`,
    `sentinel monitor ${MASTER_NAME} ${LOOPBACK} ${masterPort} 2`,
    `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
    `sentinel failover-timeout ${MASTER_NAME} 5000`,
    `sentinel parallel-syncs ${MASTER_NAME} 1`,
    '',
  ].join('\n');
}

/** Sentinel answers with flat [key, value, key, value, ...] arrays. */
function pairsToRecord(reply: unknown): Record<string, string> {
  const list = Array.isArray(reply) ? reply.map(String) : [];
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) record[list[i]] = list[i + 1];
  return record;
}

/** One sentinel's verdict: it monitors the master, sees the synced replica and both peers. */
async function sentinelSeesAll(port: number, replicaPort: number): Promise<boolean> {
  return withClient(port, async (c) => {
    const master = pairsToRecord(await c.call('SENTINEL', 'MASTER', MASTER_NAME));
    if (master.flags !== 'master' || Number(master['num-other-sentinels']) !== SENTINELS - 1) {
      return false;
    }
    const replicas = (await c.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
    return replicas
      .map(pairsToRecord)
      .some(
        (r) =>
          Number(r.port) === replicaPort && r.flags === 'slave' && r['master-link-status'] === 'ok',
      );
  });
}
