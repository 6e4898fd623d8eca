import { LOOPBACK } from '../ports';
import { clusterControl, RedisClusterHarness } from './cluster-control';
import {
  clusterInfo,
  clusterNodes,
  ClusterNodeView,
  isFailing,
  isMaster,
  isReplica,
} from './cluster-nodes';
import { replicaLinkUp, serverArgs, waitForPing } from './node-client';
import { claimPorts } from './ports';
import { budget, START_TIMEOUT_MS, Topology } from './topology';

const REDIS_CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';
const CLUSTER_SIZE = 6;
const CLUSTER_MASTERS = 3;

/**
 * 3 masters + 3 replicas on free loopback ports, joined with `redis-cli --cluster create`.
 * Resolves once every node reports cluster_state:ok and every replica's link is up.
 */
export function startRedisCluster(
  opts: { nodeTimeoutMs?: number } = {},
): Promise<RedisClusterHarness> {
  const nodeTimeoutMs = opts.nodeTimeoutMs ?? 1_000;
  const left = budget(START_TIMEOUT_MS);
  return Topology.starting('redis-cluster-', async (topology) => {
    const ports = await claimPorts(CLUSTER_SIZE, true);
    for (const port of ports) {
      await topology.spawnServer(port, [
        ...serverArgs(port, topology.dir),
        ...clusterArgs(port, nodeTimeoutMs),
      ]);
    }
    await Promise.all(ports.map((port) => waitForPing(topology, port, left())));
    await topology.run(REDIS_CLI, createArgs(ports), left());
    const view = await topology.poll(
      'every node to report cluster_state:ok and every replica link up',
      left(),
      async () => {
        const views = await Promise.all(ports.map(nodeSeesReadyCluster));
        return views.every((v) => v !== undefined) ? views[0] : undefined;
      },
    );
    return clusterControl(topology, mastersFirst(view));
  });
}

function clusterArgs(port: number, nodeTimeoutMs: number): string[] {
  return [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    String(nodeTimeoutMs),
    // Lets a replica take over however long it was cut off; tests kill masters on purpose.
    '--cluster-replica-validity-factor',
    '0',
  ];
}

function createArgs(ports: number[]): string[] {
  const addresses = ports.map((port) => `${LOOPBACK}:${port}`);
  return ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'];
}

/** One node's verdict: it sees the whole, healthy 3+3 cluster, and as a replica it is synced. */
async function nodeSeesReadyCluster(port: number): Promise<ClusterNodeView[] | undefined> {
  const state = await clusterInfo(port);
  if (state.cluster_state !== 'ok' || Number(state.cluster_known_nodes) !== CLUSTER_SIZE) return;
  const view = await clusterNodes(port);
  const masters = view.filter((n) => isMaster(n) && n.slots.length > 0);
  const replicas = view.filter(isReplica);
  if (view.some(isFailing) || masters.length !== CLUSTER_MASTERS) return;
  if (replicas.length !== CLUSTER_SIZE - CLUSTER_MASTERS) return;
  if (!replicas.every((r) => masters.some((m) => m.id === r.masterId))) return;
  const self = view.find((n) => n.flags.includes('myself'));
  if (self && isReplica(self) && !(await replicaLinkUp(port))) return;
  return view;
}

/** Ports of the masters ordered by slot range, then each master's replica in the same order. */
function mastersFirst(view: ClusterNodeView[]): number[] {
  const masters = view
    .filter((n) => isMaster(n) && n.slots.length > 0)
    .sort((a, b) => a.slots[0][0] - b.slots[0][0]);
  const replicas = masters.flatMap((m) => view.filter((n) => n.masterId === m.id));
  return [...masters, ...replicas].map((n) => n.port);
}
