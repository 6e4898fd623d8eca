import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * What a test creates on the shared Postgres and Redis carries this run's id, so the suite can
 * remove it when each file ends (cleanup-environment) and prove at the end that nothing is left
 * (global-teardown), while runs on other checkouts of the same machine are left alone.
 */
export const RUN_ID = process.env.TEST_RUN_ID ?? 'adhoc';

export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TrackedResources {
  namespaces: string[];
  databases: string[];
}

/** Remembers a resource in the test file's global, which its environment reads at teardown. */
export function track(kind: keyof TrackedResources, name: string): void {
  const global = globalThis as { __testResources?: TrackedResources };
  (global.__testResources ??= { namespaces: [], databases: [] })[kind].push(name);
}

export async function withAdminClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    connectionString: ADMIN_DATABASE_URL,
    connectionTimeoutMillis: 10_000,
    query_timeout: 60_000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const dropDatabase = (name: string) =>
  withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {});

/** SCAN + UNLINK of every key matching `pattern` on the shared Redis; returns the keys removed. */
export async function unlinkKeys(pattern: string): Promise<string[]> {
  const redis = new Redis(TEST_REDIS_URL, {
    connectTimeout: 10_000,
    commandTimeout: 30_000,
    maxRetriesPerRequest: 2,
  });
  try {
    const removed: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      if (keys.length > 0) await redis.unlink(...keys);
      removed.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return removed;
  } finally {
    redis.disconnect();
  }
}

export async function removeResources({ namespaces, databases }: TrackedResources): Promise<void> {
  for (const namespace of namespaces) await unlinkKeys(`${namespace}:*`);
  for (const name of databases) await dropDatabase(name);
}

/** Outside jest (load test, benchmarks): removes what this process tracked. */
export async function removeTrackedResources(): Promise<void> {
  const resources = (globalThis as { __testResources?: TrackedResources }).__testResources;
  if (resources) await removeResources(resources);
}
