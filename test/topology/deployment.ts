import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { isAlive } from '../support/processes';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import { NginxProcess, startNginx } from './nginx';

/**
 * On two shared cores a replica may not be scheduled within 200 ms: WAIT would come back short
 * and the save be acknowledged unreplicated, so a master kill could lose it.
 */
export const DURABLE_TIMEOUT_MS = 1_000;
export const COMMAND_TIMEOUT_MS = 2_000;

export const portOf = (app: AppProcess) => Number(new URL(app.url).port);
export const running = (app: AppProcess) => isAlive(app.proc);

/**
 * The deployment in miniature: nginx round robin over 3 app processes, sessions in a 6-node
 * Redis Cluster, orders in Postgres. What start() got to start, stop() stops, also after a
 * failed start.
 */
export class Deployment {
  db?: TestDatabase;
  cluster?: RedisClusterHarness;
  readonly apps: AppProcess[] = [];
  nginx?: NginxProcess;

  /** `stock`: every product's quantity, set once the first app has migrated the schema. */
  async start(stock: number): Promise<void> {
    const db = (this.db = await createTestDatabase());
    const cluster = (this.cluster = await startRedisCluster());
    const env = {
      DATABASE_URL: db.url,
      REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
      SESSION_DURABLE_REPLICAS: '1',
      SESSION_DURABLE_TIMEOUT_MS: String(DURABLE_TIMEOUT_MS),
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      SESSION_NEW_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100000',
    };
    // The first one migrates; the others find the schema in place.
    this.apps.push(await startAppProcess(env));
    await db.query('UPDATE inventory.stock SET quantity = $1', [stock]);
    const others = await Promise.allSettled([startAppProcess(env), startAppProcess(env)]);
    for (const o of others) if (o.status === 'fulfilled') this.apps.push(o.value);
    for (const o of others) if (o.status === 'rejected') throw o.reason;
    this.nginx = await startNginx(this.apps.map(portOf));
  }

  /** Stops everything, in reverse order, each step even if an earlier one failed. */
  async stop(): Promise<void> {
    const failures: unknown[] = [];
    const attempt = (step: () => Promise<unknown> | undefined) =>
      Promise.resolve()
        .then(step)
        .catch((e: unknown) => failures.push(e));
    await attempt(() => this.nginx?.stop());
    await attempt(() => Promise.all(this.apps.map((a) => a.stop(5_000))));
    await attempt(() => this.cluster?.stop());
    await attempt(() => this.db?.drop());
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  }
}
