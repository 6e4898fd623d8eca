import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionEnv } from '../../src/config/session.env';
import { SLOTS_REFRESH_INTERVAL_MS } from '../../src/session/stores/redis-connection';
import { composeFile } from './stack';

const ROOT = join(__dirname, '../..');
/** For a container or process the busy two cores do not schedule at once (as in test/topology). */
const SCHEDULING_MS = 2_000;

const seconds = (value: string) => {
  const m = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value}`);
  return Number(m[1]) * ({ ms: 1, s: 1_000, m: 60_000 }[m[2] ?? 's'] ?? 1_000);
};

function setting(file: string, pattern: RegExp): string {
  const m = pattern.exec(readFileSync(join(ROOT, file), 'utf8'));
  if (!m) throw new Error(`${file} does not match ${pattern}`);
  return m[1];
}

/** The deployment's own timeouts, read from its files, from which the fault windows follow. */
export function deploymentTimings() {
  const app = Object.values(composeFile().services).find((s) => s.build)!;
  const env = app.environment ?? {};
  const defaults = new SessionEnv();
  const commandTimeoutMs = Number(
    env.REDIS_COMMAND_TIMEOUT_MS ?? defaults.REDIS_COMMAND_TIMEOUT_MS,
  );
  const durableTimeoutMs = Number(
    env.SESSION_DURABLE_TIMEOUT_MS ?? defaults.SESSION_DURABLE_TIMEOUT_MS,
  );
  const template = 'docker/nginx/templates/default.conf.template';
  const proxyConnectMs = seconds(setting(template, /proxy_connect_timeout (\w+);/));
  const nodeTimeoutMs = Number(
    setting('docker/redis/redis-cluster.conf', /^cluster-node-timeout (\d+)$/m),
  );
  const stopGraceMs = seconds(app.stop_grace_period ?? '10s');
  return {
    nodeTimeoutMs,
    stopGraceMs,
    /**
     * After an app dies, nginx's next attempt at it waits out the connect timeout and moves on;
     * only requests in flight at the kill fail.
     */
    appGraceMs: proxyConnectMs + SCHEDULING_MS,
    /**
     * After the cluster has healed, an app may route to the old master until its next slots
     * refresh; its first saves on a master without a replica wait out the WAIT timeout, and a
     * command queued behind one may reach the command timeout (as in test/topology).
     */
    redisGraceMs: SLOTS_REFRESH_INTERVAL_MS + durableTimeoutMs + commandTimeoutMs + SCHEDULING_MS,
  };
}
