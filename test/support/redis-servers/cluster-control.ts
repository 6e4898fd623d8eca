import { LOOPBACK } from '../ports';
import {
  clusterInfo,
  clusterNodes,
  isFailing,
  isMaster,
  keySlot,
  slotOwner,
} from './cluster-nodes';
import { info, RedisNodeAddress } from './node-client';
import { budget, Topology } from './topology';

const FAILOVER_TIMEOUT_MS = 30_000;

export interface RedisClusterHarness {
  /** All 6 nodes' addresses (masters first, as created; roles change on failover). */
  nodes: RedisNodeAddress[];
  /** Current masters' ports, ascending, asked from the cluster (CLUSTER NODES). */
  masterPorts(): Promise<number[]>;
  /** The port of the master currently serving the slot of `key`. */
  masterFor(key: string): Promise<number>;
  /**
   * SIGKILLs the master serving `key`; resolves once a replica has been promoted and every live
   * node reports cluster_state:ok again with the promoted replica owning the slot (bounded wait).
   * `failoverMs` runs from the SIGKILL until the replica reports role:master.
   */
  killMasterFor(
    key: string,
  ): Promise<{ killedPort: number; promotedPort: number; failoverMs: number }>;
  /** Stops every process it started, by pid, and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Asks a running cluster who serves what, and kills masters on request. */
export function clusterControl(topology: Topology, ports: number[]): RedisClusterHarness {
  const livePort = () => {
    const port = ports.find((p) => topology.isServerRunning(p));
    if (port === undefined) throw new Error('no cluster node is running');
    return port;
  };

  const ownerOf = async (key: string) => {
    const port = livePort();
    const slot = await keySlot(port, key);
    const view = await clusterNodes(port);
    const owner = slotOwner(view, slot);
    if (!owner) throw new Error(`no master serves slot ${slot} of key '${key}'`);
    return { slot, owner, view };
  };

  return {
    nodes: ports.map((port) => ({ host: LOOPBACK, port })),
    async masterPorts() {
      const view = await clusterNodes(livePort());
      return view
        .filter((n) => isMaster(n) && !isFailing(n))
        .map((n) => n.port)
        .sort((a, b) => a - b);
    },
    async masterFor(key) {
      return (await ownerOf(key)).owner.port;
    },
    async killMasterFor(key) {
      const { slot, owner, view } = await ownerOf(key);
      const replicaPorts = view.filter((n) => n.masterId === owner.id).map((n) => n.port);
      if (replicaPorts.length === 0) throw new Error(`master ${owner.port} has no replica`);
      return failOver(topology, ports, { slot, masterPort: owner.port, replicaPorts });
    },
    stop: () => topology.stop(),
  };
}

interface SlotOwnership {
  slot: number;
  masterPort: number;
  replicaPorts: number[];
}

/** SIGKILLs the master, waits for a replica's promotion, then for every live node to agree. */
async function failOver(topology: Topology, ports: number[], owner: SlotOwnership) {
  const { slot, masterPort, replicaPorts } = owner;
  const started = Date.now();
  const left = budget(FAILOVER_TIMEOUT_MS);
  await topology.killServer(masterPort);
  const promotedPort = await topology.poll(
    `a replica of ${masterPort} to be promoted`,
    left(),
    async () => {
      for (const port of replicaPorts) {
        if ((await info(port, 'replication')).role === 'master') return port;
      }
    },
  );
  const failoverMs = Date.now() - started;
  await topology.poll(
    `every live node to report cluster_state:ok with ${promotedPort} serving slot ${slot}`,
    left(),
    () => livePortsAgreeOn(topology, ports, slot, promotedPort),
  );
  return { killedPort: masterPort, promotedPort, failoverMs };
}

async function livePortsAgreeOn(
  topology: Topology,
  ports: number[],
  slot: number,
  promotedPort: number,
): Promise<true | undefined> {
  for (const port of ports.filter((p) => topology.isServerRunning(p))) {
    if ((await clusterInfo(port)).cluster_state !== 'ok') return;
    if (slotOwner(await clusterNodes(port), slot)?.port !== promotedPort) return;
  }
  return true;
}
