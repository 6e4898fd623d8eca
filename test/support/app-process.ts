import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDatabase } from './database';
import { freePort, LOOPBACK, pollUntil } from './ports';
import { isAlive } from './processes';
import { testNamespace } from './redis';
import { TEST_REDIS_URL } from './resources';

const MAIN = join(__dirname, '../../dist/main.js');
/** Enough to see why an app failed; warn-level logs under load are otherwise unbounded. */
const OUTPUT_TAIL_CHARS = 200_000;

/**
 * Defaults for every app a test starts. Lock queues of the concurrency tests outlast the 3 s
 * production bound when CI shares its two cores, and a Redis reply can take longer than the
 * 500 ms one there (a 503 for a slow, not a lost, store). The tests of those bounds use the
 * production values: the database black hole sets its own, the compose stack runs on defaults.
 */
export const TEST_APP_ENV = {
  DATABASE_QUERY_TIMEOUT_MS: '20000',
  REDIS_COMMAND_TIMEOUT_MS: '5000',
};

/** What an app on a test's own database needs: that database, the shared Redis, a namespace of its own. */
export const appEnvOn = (
  db: TestDatabase,
): Record<'DATABASE_URL' | 'REDIS_URL' | 'SESSION_NAMESPACE', string> => ({
  DATABASE_URL: db.url,
  REDIS_URL: TEST_REDIS_URL,
  SESSION_NAMESPACE: testNamespace(),
});

export interface AppProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  output(): string;
  /** The output once it contains `text`: log lines arrive through a pipe, after the answers. */
  outputWith(text: string, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL if still alive after the grace period; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs the built app as its own process, as a user would, on a port chosen here, and
 * resolves once `/health/live` answers (whatever LOG_LEVEL says).
 */
export async function startAppProcess(
  env: Record<string, string>,
  timeoutMs = 90_000,
  /** Node's own flags (e.g. heap sizes that NODE_OPTIONS does not accept). */
  nodeArgs: string[] = [],
): Promise<AppProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const proc = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      ...TEST_APP_ENV,
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) =>
    (output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS));
  proc.stdout.on('data', append);
  proc.stderr.on('data', append);
  const running = () => isAlive(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );

  const stop = async (graceMs = 12_000): Promise<number | null> => {
    if (!running()) return proc.exitCode;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const url = `http://${LOOPBACK}:${port}`;
  try {
    await pollUntil(`the app on port ${port} to answer /health/live`, () => isLive(url), {
      timeoutMs,
      alive: running,
    });
  } catch (error) {
    await stop(1_000);
    throw new Error(`${(error as Error).message} (exit code ${proc.exitCode})\n${output}`);
  }
  const outputWith = async (text: string, timeoutMs = 30_000) => {
    await pollUntil(`"${text}" in the app's log`, () => Promise.resolve(output.includes(text)), {
      timeoutMs,
    });
    return output;
  };
  return { url, port, proc, output: () => output, outputWith, stop };
}

async function isLive(url: string): Promise<boolean> {
  const res = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return res.status === 200;
}
