import {
  ClusterNodeView,
  isFailing,
  isMaster,
  isReplica,
  parseClusterNodes,
} from '../support/redis-servers/cluster-nodes';
import { parseInfo } from '../support/redis-servers/node-client';
import type { ComposeStack } from './stack';

const CLUSTER_SIZE = 6;
const CLUSTER_MASTERS = 3;

/** The compose Redis Cluster seen from inside its containers (redis-cli through docker exec). */
export class ComposeCluster {
  readonly services: string[];

  constructor(private readonly stack: ComposeStack) {
    this.services = stack.services(/^redis-\d+$/);
    if (this.services.length !== CLUSTER_SIZE) {
      throw new Error(`expected ${CLUSTER_SIZE} Redis nodes, found ${this.services.join(', ')}`);
    }
  }

  private cli(service: string, args: string[]): Promise<string> {
    return this.stack.exec(service, ['redis-cli', ...args], 10_000);
  }

  /** CLUSTER NODES as `service` sees it. */
  async view(service: string): Promise<ClusterNodeView[]> {
    return parseClusterNodes(await this.cli(service, ['cluster', 'nodes']));
  }

  slotOf(key: string): Promise<number> {
    return this.cli(this.services[0], ['cluster', 'keyslot', key]).then((out) =>
      Number(out.trim()),
    );
  }

  /** The service of the healthy master that serves `slot`, as `observer` sees it. */
  async ownerOf(slot: number, observer = this.services[0]): Promise<string | undefined> {
    const owner = (await this.view(observer)).find(
      (n) => isMaster(n) && !isFailing(n) && n.slots.some(([a, b]) => a <= slot && slot <= b),
    );
    return owner?.host;
  }

  /**
   * Healthy: every node reports cluster_state:ok and knows all 6; 3 masters own slots, each with
   * one replica; no node is flagged failing; every replica's link to its master is up.
   */
  async problems(): Promise<string[]> {
    const verdicts = await Promise.all(this.services.map((s) => this.nodeProblems(s)));
    return verdicts.flat();
  }

  /** One node's verdict, from one `docker exec` (the host may be busy: each costs a process). */
  private async nodeProblems(service: string): Promise<string[]> {
    const script =
      'redis-cli cluster info; echo ===; redis-cli cluster nodes; echo ===; redis-cli info replication';
    const out = await this.stack
      .exec(service, ['sh', '-c', script], 10_000)
      .catch((e: unknown) => `${String(e)}\n===\n===`);
    const [infoText, nodesText, replicationText] = out.split('===\n');
    const info = parseInfo(infoText);
    if (info.cluster_state !== 'ok' || Number(info.cluster_known_nodes) !== CLUSTER_SIZE)
      return [`${service}: cluster_state ${info.cluster_state}, knows ${info.cluster_known_nodes}`];
    const problems: string[] = [];
    const view = parseClusterNodes(nodesText);
    const masters = view.filter((n) => isMaster(n) && n.slots.length > 0);
    const replicas = view.filter(isReplica);
    const failing = view.filter(isFailing).map((n) => n.host);
    if (failing.length) problems.push(`${service} sees failing: ${failing.join(', ')}`);
    if (masters.length !== CLUSTER_MASTERS || replicas.length !== CLUSTER_SIZE - CLUSTER_MASTERS)
      problems.push(`${service} sees ${masters.length} masters, ${replicas.length} replicas`);
    else if (!masters.every((m) => replicas.some((r) => r.masterId === m.id)))
      problems.push(`${service} sees a master without a replica`);
    const self = view.find((n) => n.flags.includes('myself'));
    const link = parseInfo(replicationText).master_link_status;
    if (self && isReplica(self) && link !== 'up') problems.push(`${service}: replica link ${link}`);
    return problems;
  }
}
