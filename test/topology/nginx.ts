import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freePort, LOOPBACK, pollUntil } from '../support/ports';
import { isAlive, settlesWithin } from '../support/processes';

/** Debian installs nginx in /usr/sbin, which a non-root PATH often lacks. */
const NGINX =
  process.env.NGINX_BIN ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
const TEMPLATE = join(__dirname, '../../docker/nginx/templates/default.conf.template');
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

export interface NginxProcess {
  url: string;
  pid: number;
  /** The access log, one line per request: `<status>|<upstream_addr>|<upstream_status>`. */
  accessLog(): string;
  errorLog(): string;
  /** Fast shutdown (SIGTERM) by pid, SIGKILL for master and workers if it lingers. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Replaces exactly the two placeholders compose's envsubst fills; nginx's own `$vars` stay.
 * Throws if either placeholder is missing, so a renamed one cannot pass unnoticed.
 */
export function renderTemplate(template: string, upstreamPorts: number[], listen: string): string {
  const values: Record<string, string> = {
    NGINX_UPSTREAM_SERVERS: upstreamPorts
      .map((port) => `server ${LOOPBACK}:${port} max_fails=1 fail_timeout=2s;`)
      .join('\n    '),
    NGINX_LISTEN: listen,
  };
  let rendered = template;
  for (const [name, value] of Object.entries(values)) {
    const placeholder = '${' + name + '}';
    if (!rendered.includes(placeholder)) throw new Error(`template lacks ${placeholder}`);
    rendered = rendered.split(placeholder).join(value);
  }
  return rendered;
}

/** The main nginx.conf: foreground, every path inside `dir`, the rendered server included. */
function mainConfig(dir: string, included: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${join(dir, `${kind}_temp`)};`)
    .join('\n');
  return [
    'daemon off;',
    'master_process on;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    "  log_format topology '$status|$upstream_addr|$upstream_status';",
    `  access_log ${join(dir, 'access.log')} topology;`,
    temp,
    `  include ${included};`,
    '}',
    '',
  ].join('\n');
}

/** nginx round robin over the apps on loopback, from the compose template. */
export async function startNginx(upstreamPorts: number[]): Promise<NginxProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'nginx-topology-'));
  // As root, nginx workers run as nobody: they must be able to reach the temp dirs.
  await chmod(dir, 0o755);
  try {
    const port = await freePort();
    const rendered = join(dir, 'default.conf');
    const template = await readFile(TEMPLATE, 'utf8');
    await writeFile(rendered, renderTemplate(template, upstreamPorts, `${LOOPBACK}:${port}`));
    const conf = join(dir, 'nginx.conf');
    await writeFile(conf, mainConfig(dir, rendered));
    // -e: nginx opens its compiled-in error log before reading the config otherwise.
    const args = ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')];
    checkConfig(args);
    const proc = spawn(NGINX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return await running(proc, dir, port);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function checkConfig(args: string[]): void {
  const test = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8', timeout: 10_000 });
  if (test.status !== 0) {
    throw new Error(`nginx -t failed (${test.status ?? test.signal}):\n${test.stderr}`);
  }
}

async function running(proc: ChildProcess, dir: string, port: number): Promise<NginxProcess> {
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  proc.on('error', (e) => (output += String(e)));
  const alive = () => isAlive(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const read = (name: string) => () => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= stopNginx(proc, alive, exited).finally(() =>
      rm(dir, { recursive: true, force: true }),
    ));

  try {
    await pollUntil(`nginx to listen on ${port}`, () => accepts(port), {
      timeoutMs: START_TIMEOUT_MS,
      alive,
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    url: `http://${LOOPBACK}:${port}`,
    pid: proc.pid!,
    accessLog: read('access.log'),
    errorLog: read('error.log'),
    stop,
  };
}

async function stopNginx(
  proc: ChildProcess,
  alive: () => boolean,
  exited: Promise<void>,
): Promise<void> {
  if (!alive() || proc.pid === undefined) return;
  // Read before signalling: once the master is gone its workers can no longer be found.
  const workers = childrenOf(proc.pid);
  proc.kill('SIGTERM'); // nginx's fast shutdown: the master stops its workers, then exits
  if (await settlesWithin(exited, STOP_GRACE_MS)) return;
  for (const pid of workers) killQuietly(pid);
  proc.kill('SIGKILL');
  if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
    throw new Error(`nginx ${proc.pid} survived SIGKILL`);
  }
}

/** Direct children of `pid` (nginx's workers), from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
