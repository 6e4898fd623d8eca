/**
 * Redis topologies started on free loopback ports for tests (see redis-servers/): a 3+3 cluster,
 * a master with a replica and sentinels, or one plain server. Kept as one import for the specs.
 */
export type { RedisClusterHarness } from './redis-servers/cluster-control';
export { startRedisCluster } from './redis-servers/cluster';
export type { RedisNodeAddress } from './redis-servers/node-client';
export { startRedisSentinel } from './redis-servers/sentinel';
export type { RedisSentinelHarness } from './redis-servers/sentinel';
export { startRedisServer } from './redis-servers/standalone';
export type { RedisServerHarness } from './redis-servers/standalone';
