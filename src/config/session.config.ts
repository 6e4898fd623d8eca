import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { MemorySessionStore, SessionModuleOptions, SessionStore } from '../session';
import {
  createRedisSessionStore,
  describeConnection,
  RedisConnection,
  RedisNode,
} from '../session/redis';
import { ConfigService } from '@nestjs/config';
import { Env } from './env';

type Get = <K extends keyof Env>(key: K) => Env[K];

function nodes(list: string): RedisNode[] {
  return list.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}

/** Standalone, Cluster or Sentinel by which variable is set; none: in-memory (one process). */
export function redisConnection(get: Get): RedisConnection | undefined {
  const url = get('REDIS_URL');
  const cluster = get('REDIS_CLUSTER_NODES');
  const sentinels = get('REDIS_SENTINELS');
  if (url) return { mode: 'standalone', url };
  if (cluster) return { mode: 'cluster', nodes: nodes(cluster) };
  if (sentinels) {
    return { mode: 'sentinel', sentinels: nodes(sentinels), name: get('REDIS_SENTINEL_NAME')! };
  }
  return undefined;
}

function sessionStore(get: Get): SessionStore {
  const connection = redisConnection(get);
  if (!connection) return new MemorySessionStore();
  return createRedisSessionStore(connection, {
    namespace: get('SESSION_NAMESPACE'),
    durableReplicas: get('SESSION_DURABLE_REPLICAS'),
    durableTimeoutMs: get('SESSION_DURABLE_TIMEOUT_MS'),
    keyspaceNotifications: get('SESSION_KEYSPACE_EVENTS'),
    commandTimeoutMs: get('REDIS_COMMAND_TIMEOUT_MS'),
    connectTimeoutMs: 2_000,
  });
}

/** The session module's options from the validated environment. */
export function sessionOptions(
  config: ConfigService<Env, true>,
  metricsRegistry: Registry,
): SessionModuleOptions {
  const get: Get = (key) => config.get(key, { infer: true });
  const store = sessionStore(get);
  const where =
    store.kind === 'memory'
      ? 'in memory (single process only)'
      : describeConnection(redisConnection(get)!);
  new Logger('Session').log(`Session store: ${where}`);
  return {
    store,
    metricsRegistry,
    cookieName: get('SESSION_COOKIE_NAME'),
    cookieDomain: get('SESSION_COOKIE_DOMAIN'),
    cookiePath: get('SESSION_COOKIE_PATH'),
    cookieSameSite: get('SESSION_COOKIE_SAME_SITE'),
    maxLifetimeSeconds: get('SESSION_MAX_LIFETIME'),
    // The live cart needs every instance to hear of every change.
    liveEvents: get('SESSION_LIVE_EVENTS') || get('LIVE_CART'),
    idResolver: get('SESSION_ID_RESOLVER'),
    secureCookies: get('USE_SECURE_COOKIES'),
    timeoutSeconds: get('SESSION_TIMEOUT'),
    persistentTimeoutSeconds: get('SESSION_REMEMBER_ME_TIMEOUT'),
    maxSessionsPerPrincipal: get('SESSION_MAX_PER_USER'),
    maxNewSessionsPerMinute: get('SESSION_NEW_PER_MINUTE'),
    maxSessionBytes: get('SESSION_MAX_BYTES'),
  };
}
