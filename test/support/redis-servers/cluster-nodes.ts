import { parseInfo, withClient } from './node-client';

/** One line of CLUSTER NODES, as far as the harness needs it. */
export interface ClusterNodeView {
  id: string;
  port: number;
  /** The announced hostname (cluster-announce-hostname), else the address. */
  host: string;
  flags: string[];
  masterId: string;
  slots: Array<[number, number]>;
}

/** CLUSTER NODES lines: `<id> <ip:port@bus[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slots>` */
export function parseClusterNodes(text: string): ClusterNodeView[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields) => fields.length >= 8)
    .map(([id, address, flags, masterId, , , , , ...slots]) => ({
      id,
      port: Number(/:(\d+)@/.exec(address)?.[1]),
      host: address.split(',')[1] || address.split(':')[0],
      flags: flags.split(','),
      masterId,
      slots: slots
        .filter((s) => !s.startsWith('[')) // importing/migrating markers, not ownership
        .map((s) => s.split('-').map(Number))
        .map(([from, to]): [number, number] => [from, to ?? from]),
    }));
}

export const clusterInfo = (port: number) =>
  withClient(port, (c) => c.cluster('INFO')).then(parseInfo);

export const keySlot = (port: number, key: string) =>
  withClient(port, (c) => c.cluster('KEYSLOT', key));

export const clusterNodes = (port: number) =>
  withClient(port, (c) => c.cluster('NODES')).then((reply) => parseClusterNodes(String(reply)));

export const isMaster = (node: ClusterNodeView) => node.flags.includes('master');
export const isReplica = (node: ClusterNodeView) => node.flags.includes('slave');
export const isFailing = (node: ClusterNodeView) =>
  node.flags.some((f) => ['fail', 'fail?', 'handshake', 'noaddr'].includes(f));

export function slotOwner(view: ClusterNodeView[], slot: number): ClusterNodeView | undefined {
  return view.find((n) => isMaster(n) && n.slots.some(([from, to]) => from <= slot && slot <= to));
}
