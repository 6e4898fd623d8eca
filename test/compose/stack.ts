import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort, LOOPBACK, pollUntil } from '../support/ports';
import { docker, run, succeeds } from './docker';

const ROOT = join(__dirname, '../..');
const COMPOSE_FILE = join(ROOT, 'compose.yml');
const BUILD_TIMEOUT_MS = 900_000;
const UP_TIMEOUT_MS = 600_000;
const DOWN_TIMEOUT_MS = 180_000;
const READY_TIMEOUT_MS = 180_000;

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  environment?: Record<string, string>;
  stop_grace_period?: string;
}

/** compose.yml with YAML merge keys resolved, as Compose reads it. */
export const composeFile = () =>
  parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

/** Services that start without a profile (the stack `up` brings). */
export const defaultServices = () =>
  Object.entries(composeFile().services).filter(([, s]) => !s.profiles);

/** The official images the default services and the app image's Dockerfile start from. */
export function baseImages(): string[] {
  const fromServices = defaultServices()
    .filter(([, s]) => !s.build && s.image)
    .map(([, s]) => s.image!);
  const dockerfiles = defaultServices()
    .filter(([, s]) => s.build)
    .map(([, s]) => readFileSync(join(ROOT, s.build!.context, s.build!.dockerfile), 'utf8'));
  const fromDockerfiles = dockerfiles.flatMap((d) =>
    [...d.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]),
  );
  return [...new Set([...fromServices, ...fromDockerfiles])].sort();
}

/** Compose v2 (`docker compose`) where the CLI has it, else v1 (`docker-compose`). */
async function composeCommand(): Promise<string[]> {
  if (await succeeds('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (await succeeds('docker-compose', ['version'])) return ['docker-compose'];
  throw new Error('Neither `docker compose` nor `docker-compose` runs: install Compose.');
}

/**
 * compose.yml as one project of its own (-p, a fresh name) on free loopback ports, so it
 * neither meets another run nor takes the host's standard ports.
 */
export class ComposeStack {
  readonly project = `bookstore-ci-${randomBytes(4).toString('hex')}`;
  httpPort = 0;
  managementPort = 0;
  private command: string[] = [];
  private containers = new Map<string, string>();

  get baseUrl(): string {
    return `http://${LOOPBACK}:${this.httpPort}`;
  }

  get managementUrl(): string {
    return `http://${LOOPBACK}:${this.managementPort}`;
  }

  async prepare(): Promise<void> {
    this.command = await composeCommand();
    this.httpPort = await freePort();
    this.managementPort = await freePort();
  }

  compose(args: string[], timeoutMs: number): Promise<string> {
    const [cmd, ...pre] = this.command;
    const env = {
      ...process.env,
      // Published on loopback only: the test sends nothing off the machine.
      HTTP_PORT: `${LOOPBACK}:${this.httpPort}`,
      RABBITMQ_UI_PORT: `${LOOPBACK}:${this.managementPort}`,
    };
    const all = [...pre, '-p', this.project, '-f', COMPOSE_FILE, ...args];
    return run(cmd, all, { timeoutMs, env, cwd: ROOT });
  }

  /** The app image from docker/Dockerfile (once: the replicas share it). */
  async build(): Promise<void> {
    const [app] = defaultServices().find(([, s]) => s.build)!;
    await this.compose(['build', app], BUILD_TIMEOUT_MS);
  }

  /** Starts every default service and waits until nginx answers readiness on the host port. */
  async up(): Promise<void> {
    await this.compose(['up', '-d', '--no-build'], UP_TIMEOUT_MS);
    for (const [name] of defaultServices()) {
      const id = (await this.compose(['ps', '-q', name], 30_000)).trim();
      if (id) this.containers.set(name, id);
    }
    await pollUntil(
      `${this.baseUrl}/health/ready to answer 200 through nginx`,
      async () =>
        (await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) })).ok,
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 1_000 },
    );
  }

  /** The container of a service (fixed for the run: kill, start and network changes keep it). */
  container(service: string): string {
    const id = this.containers.get(service);
    if (!id) throw new Error(`service ${service} has no container`);
    return id;
  }

  services(prefix: RegExp): string[] {
    return [...this.containers.keys()].filter((s) => prefix.test(s)).sort();
  }

  exec(service: string, command: string[], timeoutMs = 30_000): Promise<string> {
    return docker(['exec', this.container(service), ...command], timeoutMs);
  }

  /** Runs SQL with psql inside the postgres container; returns what psql printed. */
  psql(statement: string): Promise<string> {
    const { POSTGRES_USER: user, POSTGRES_DB: db } = composeFile().services.postgres.environment!;
    const args = ['psql', '-U', user, '-d', db, '-AtX', '-v', 'ON_ERROR_STOP=1', '-c', statement];
    return this.exec('postgres', args);
  }

  /** A query's rows, as JSON through psql. */
  async sql<T>(query: string): Promise<T[]> {
    return JSON.parse(
      await this.psql(`SELECT coalesce(json_agg(t), '[]') FROM (${query}) t`),
    ) as T[];
  }

  async health(service: string): Promise<string> {
    const out = await docker([
      'inspect',
      '-f',
      '{{.State.Health.Status}}',
      this.container(service),
    ]);
    return out.trim();
  }

  async network(service: string): Promise<string> {
    const out = await docker([
      'inspect',
      '-f',
      '{{json .NetworkSettings.Networks}}',
      this.container(service),
    ]);
    const names = Object.keys(JSON.parse(out) as object);
    if (names.length !== 1) throw new Error(`${service} is on networks ${names.join(', ')}`);
    return names[0];
  }

  /** stdout and stderr (pino writes to stdout, nginx's error log to stderr). */
  logs(service: string): Promise<string> {
    return run('sh', ['-c', `docker logs ${this.container(service)} 2>&1`], {
      timeoutMs: 60_000,
    }).catch((e: unknown) => String(e));
  }

  /** down -v --remove-orphans, then what the engine still holds of the project (none expected). */
  async down(): Promise<string[]> {
    if (this.command.length === 0) return [];
    await this.compose(['down', '-v', '--remove-orphans'], DOWN_TIMEOUT_MS);
    const label = `label=com.docker.compose.project=${this.project}`;
    const left: string[] = [];
    for (const kind of ['container', 'network', 'volume']) {
      const all = kind === 'container' ? ['-a'] : [];
      const ids = (await docker([kind, 'ls', ...all, '-q', '--filter', label])).trim();
      if (ids) left.push(`${kind}s: ${ids.split('\n').join(' ')}`);
    }
    return left;
  }
}
