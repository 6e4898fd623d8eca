import { createServer } from 'node:net';
import { freePort, LOOPBACK } from '../ports';

/** Redis Cluster talks node-to-node on port + 10000, so that port must be usable too. */
const BUS_OFFSET = 10_000;

/** Ports handed out in this process, so two topologies started together never share one. */
const claimedPorts = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

async function claimPort(withBusPort: boolean): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await freePort();
    if (claimedPorts.has(port)) continue;
    if (withBusPort) {
      const bus = port + BUS_OFFSET;
      if (bus >= 65_536 || claimedPorts.has(bus) || !(await canListen(bus))) continue;
      claimedPorts.add(bus);
    }
    claimedPorts.add(port);
    return port;
  }
  throw new Error('could not find a free loopback port');
}

/** `count` free loopback ports no other topology of this process has (with their bus ports). */
export async function claimPorts(count: number, withBusPort: boolean): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await claimPort(withBusPort));
  return ports;
}
