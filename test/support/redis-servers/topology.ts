import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollFor } from '../ports';
import { exitedWithin, isRunning, kill, spawnTracked, terminate, Tracked } from '../processes';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const POLL_MS = 50;
/** One budget for a whole start, so a hung start fails well inside the 120 s jest timeout. */
export const START_TIMEOUT_MS = 40_000;

/** Milliseconds left of a budget shared by several waits (at least 1, so each tries once). */
export function budget(ms: number): () => number {
  const deadline = Date.now() + ms;
  return () => Math.max(deadline - Date.now(), 1);
}

/** The processes and temp dir of one topology; everything it spawns dies in stop(). */
export class Topology {
  private readonly processes: Tracked[] = [];
  /** Processes killed on purpose, so their exit does not count as the topology breaking. */
  private readonly killed = new Set<Tracked>();
  private readonly servers = new Map<number, Tracked>();
  private stopping?: Promise<void>;

  private constructor(readonly dir: string) {}

  static async create(prefix: string): Promise<Topology> {
    return new Topology(await mkdtemp(join(tmpdir(), prefix)));
  }

  /** Runs `start` on a new topology; stops the topology if the start fails. */
  static async starting<T>(prefix: string, start: (topology: Topology) => Promise<T>): Promise<T> {
    const topology = await Topology.create(prefix);
    try {
      return await start(topology);
    } catch (error) {
      await topology.stop();
      throw error;
    }
  }

  async spawnServer(port: number, args: string[]): Promise<Tracked> {
    const t = await this.spawn(`redis-server :${port}`, REDIS_SERVER, args);
    this.servers.set(port, t);
    return t;
  }

  isServerRunning(port: number): boolean {
    const t = this.servers.get(port);
    return t !== undefined && isRunning(t);
  }

  /**
   * Polls `probe` until it gives a value (see pollFor), giving up at once when a server died
   * that nobody killed on purpose, with that server's log.
   */
  poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    return pollFor(what, probe, { timeoutMs, intervalMs: POLL_MS, alive: this.healthy });
  }

  async killServer(port: number): Promise<void> {
    const t = this.servers.get(port);
    if (!t) throw new Error(`no redis-server of this topology on port ${port}`);
    this.killed.add(t);
    await kill(t);
  }

  /** Runs a one-shot command to completion, killing it if it overruns. */
  async run(command: string, args: string[], timeoutMs: number): Promise<string> {
    const t = await this.spawn(command, command, args);
    if (!(await exitedWithin(t, timeoutMs))) {
      await terminate(t);
      throw new Error(`${command} did not finish within ${timeoutMs} ms:\n${t.log()}`);
    }
    if (t.proc.exitCode !== 0) {
      throw new Error(
        `${command} exited with ${t.proc.exitCode ?? t.proc.signalCode}:\n${t.log()}`,
      );
    }
    return t.log();
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  /** True while healthy; throws as soon as a server died that nobody killed on purpose. */
  private readonly healthy = (): boolean => {
    for (const [port, t] of this.servers) {
      if (!isRunning(t) && !this.killed.has(t)) {
        throw new Error(`redis-server on port ${port} exited unexpectedly:\n${t.log()}`);
      }
    }
    return true;
  };

  private async stopAll(): Promise<void> {
    const results = await Promise.allSettled(this.processes.map(terminate));
    await rm(this.dir, { recursive: true, force: true });
    const failures = results.filter((r) => r.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((r) => r.reason as unknown),
        'some redis processes could not be stopped',
      );
    }
  }

  private async spawn(name: string, command: string, args: string[]): Promise<Tracked> {
    if (this.stopping) throw new Error('topology is stopped');
    const t = await spawnTracked(name, command, args, this.dir);
    this.processes.push(t);
    return t;
  }
}
