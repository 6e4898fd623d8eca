import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';

export interface RedisNode {
  host: string;
  port: number;
}

/** Which Redis deployment to use; chosen by configuration alone. */
export type RedisConnection =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: RedisNode[] }
  | { mode: 'sentinel'; sentinels: RedisNode[]; name: string };

/** How often a cluster client re-reads slot ownership (sooner after MOVED or a lost node). */
export const SLOTS_REFRESH_INTERVAL_MS = 2_000;

export interface RedisClientLimits {
  /** Every command fails after this long instead of hanging. */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * Fail fast while disconnected (no offline queue, one retry) so a Redis outage is a quick
 * 503 rather than a pile of waiting requests; reconnect in the background forever.
 */
function nodeOptions(limits: RedisClientLimits): RedisOptions {
  return {
    commandTimeout: limits.commandTimeoutMs,
    connectTimeout: limits.connectTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  };
}

export function createRedisClient(
  conn: RedisConnection,
  limits: RedisClientLimits,
): Redis | Cluster {
  switch (conn.mode) {
    case 'standalone':
      return new Redis(conn.url, nodeOptions(limits));
    case 'sentinel':
      return new Redis({
        ...nodeOptions(limits),
        sentinels: conn.sentinels,
        name: conn.name,
        sentinelRetryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      });
    case 'cluster': {
      const options: ClusterOptions = {
        redisOptions: nodeOptions(limits),
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        scaleReads: 'master',
        maxRedirections: 8,
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        retryDelayOnTryAgain: 100,
        slotsRefreshTimeout: limits.connectTimeoutMs,
        slotsRefreshInterval: SLOTS_REFRESH_INTERVAL_MS,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      };
      return new Cluster(conn.nodes, options);
    }
  }
}

export function describeConnection(conn: RedisConnection): string {
  const list = (nodes: RedisNode[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  if (conn.mode === 'cluster') return `Redis Cluster (${list(conn.nodes)})`;
  if (conn.mode === 'sentinel') return `Redis Sentinel '${conn.name}' (${list(conn.sentinels)})`;
  const u = new URL(conn.url);
  return `Redis ${u.hostname}:${u.port || 6379}`;
}
