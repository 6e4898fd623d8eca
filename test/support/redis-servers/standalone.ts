import { LOOPBACK } from '../ports';
import { serverArgs, waitForPing } from './node-client';
import { claimPorts } from './ports';
import { START_TIMEOUT_MS, Topology } from './topology';

export interface RedisServerHarness {
  port: number;
  url: string;
  /** SIGKILL and start again on the same port: a fresh server with default settings. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** One redis-server with default settings (e.g. keyspace notifications off) on a free port. */
export function startRedisServer(): Promise<RedisServerHarness> {
  return Topology.starting('redis-server-', async (topology) => {
    const [port] = await claimPorts(1, false);
    const start = async () => {
      await topology.spawnServer(port, serverArgs(port, topology.dir));
      await waitForPing(topology, port, START_TIMEOUT_MS);
    };
    await start();
    return {
      port,
      url: `redis://${LOOPBACK}:${port}`,
      restart: async () => {
        await topology.killServer(port);
        await start();
      },
      stop: () => topology.stop(),
    };
  });
}
