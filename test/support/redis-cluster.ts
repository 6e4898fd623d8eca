import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { sleep } from './ports';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

export interface RedisClusterHarness {
  /** All 6 nodes' addresses (masters first, as created; roles change on failover). */
  nodes: RedisNodeAddress[];
  /** Current masters' ports, ascending, asked from the cluster (CLUSTER NODES). */
  masterPorts(): Promise<number[]>;
  /** The port of the master currently serving the slot of `key`. */
  masterFor(key: string): Promise<number>;
  /**
   * SIGKILLs the master serving `key`; resolves once a replica has been promoted and every live
   * node reports cluster_state:ok again with the promoted replica owning the slot (bounded wait).
   * `failoverMs` runs from the SIGKILL until the replica reports role:master.
   */
  killMasterFor(
    key: string,
  ): Promise<{ killedPort: number; promotedPort: number; failoverMs: number }>;
  /** Stops every process it started, by pid, and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface RedisServerHarness {
  port: number;
  url: string;
  /** SIGKILL and start again on the same port: a fresh server with default settings. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisSentinelHarness {
  sentinels: RedisNodeAddress[];
  masterName: string;
  masterPort: number;
  replicaPort: number;
  /** Stops every process it started, by pid, and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';
/** Redis Cluster talks node-to-node on port + 10000, so that port must be usable too. */
const BUS_OFFSET = 10_000;
const STOP_GRACE_MS = 2_000;
const KILL_WAIT_MS = 5_000;
/** One budget for a whole start, so a hung start fails well inside the 120 s jest timeout. */
const START_TIMEOUT_MS = 40_000;
const FAILOVER_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const LOG_TAIL_CHARS = 4_000;
const CLUSTER_SIZE = 6;
const CLUSTER_MASTERS = 3;
const SENTINELS = 3;

// ---------------------------------------------------------------------------------------------
// Small utilities

/** Milliseconds left of a budget shared by several waits (at least 1, so each tries once). */
function budget(ms: number): () => number {
  const deadline = Date.now() + ms;
  return () => Math.max(deadline - Date.now(), 1);
}

/** Thrown by a topology when one of its processes died unexpectedly: no point waiting longer. */
class TopologyBroken extends Error {}

/**
 * Polls `probe` until it returns a value other than undefined. Probe errors count as "not yet"
 * (nodes refuse connections while booting), but the last one is reported if time runs out.
 */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  assertHealthy: () => void = () => {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    assertHealthy();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof TopologyBroken) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(POLL_MS);
  }
}

function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

/** Sentinel answers with flat [key, value, key, value, ...] arrays. */
function pairsToRecord(reply: unknown): Record<string, string> {
  const list = Array.isArray(reply) ? reply.map(String) : [];
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) record[list[i]] = list[i + 1];
  return record;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** Ports handed out in this process, so two topologies started together never share one. */
const claimedPorts = new Set<number>();

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, HOST, () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

async function freePort(withBusPort: boolean): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await listenOnce(0);
    if (port === undefined || claimedPorts.has(port)) continue;
    if (withBusPort) {
      if (port + BUS_OFFSET >= 65_536 || claimedPorts.has(port + BUS_OFFSET)) continue;
      if ((await listenOnce(port + BUS_OFFSET)) === undefined) continue;
      claimedPorts.add(port + BUS_OFFSET);
    }
    claimedPorts.add(port);
    return port;
  }
  throw new Error('could not find a free loopback port');
}

async function freePorts(count: number, withBusPort: boolean): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort(withBusPort));
  return ports;
}

// ---------------------------------------------------------------------------------------------
// Talking to nodes

/** One short-lived connection per question: nodes come and go, so nothing is kept open. */
async function withClient<T>(port: number, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    // A dead node must fail the question at once, not be retried in the background.
    retryStrategy: () => null,
  });
  // Failures surface through the rejected command; this only stops "unhandled error" noise.
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    // Disconnecting an already ended client arms a 2 s timer in ioredis that holds the process.
    if (client.status !== 'end') client.disconnect();
  }
}

const info = (port: number, section: string) =>
  withClient(port, (c) => c.info(section)).then(parseInfo);

const clusterInfo = (port: number) => withClient(port, (c) => c.cluster('INFO')).then(parseInfo);

const keySlot = (port: number, key: string) => withClient(port, (c) => c.cluster('KEYSLOT', key));

interface ClusterNodeView {
  id: string;
  port: number;
  flags: string[];
  masterId: string;
  slots: Array<[number, number]>;
}

/** CLUSTER NODES lines: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slots>` */
function parseClusterNodes(text: string): ClusterNodeView[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields) => fields.length >= 8)
    .map(([id, address, flags, masterId, , , , , ...slots]) => ({
      id,
      port: Number(/:(\d+)@/.exec(address)?.[1]),
      flags: flags.split(','),
      masterId,
      slots: slots
        .filter((s) => !s.startsWith('[')) // importing/migrating markers, not ownership
        .map((s) => s.split('-').map(Number))
        .map(([from, to]): [number, number] => [from, to ?? from]),
    }));
}

const clusterNodes = (port: number) =>
  withClient(port, (c) => c.cluster('NODES')).then((reply) => parseClusterNodes(String(reply)));

const isMaster = (node: ClusterNodeView) => node.flags.includes('master');
const isReplica = (node: ClusterNodeView) => node.flags.includes('slave');
const isFailing = (node: ClusterNodeView) =>
  node.flags.some((f) => ['fail', 'fail?', 'handshake', 'noaddr'].includes(f));

function slotOwner(view: ClusterNodeView[], slot: number): ClusterNodeView | undefined {
  return view.find((n) => isMaster(n) && n.slots.some(([from, to]) => from <= slot && slot <= to));
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Tracked {
  name: string;
  proc: ChildProcess;
  pid: number;
  exited: Promise<void>;
  log(): string;
}

const isRunning = (t: Tracked) => t.proc.exitCode === null && t.proc.signalCode === null;

function signal(t: Tracked, sig: NodeJS.Signals): void {
  // Only signal a pid we know is still our child, never a recycled one.
  if (!isRunning(t)) return;
  try {
    process.kill(t.pid, sig);
  } catch {
    // it exited between the check and the signal
  }
}

async function exitedWithin(t: Tracked, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([t.exited, timeout]);
  clearTimeout(timer);
  return !isRunning(t);
}

async function terminate(t: Tracked): Promise<void> {
  signal(t, 'SIGTERM');
  if (await exitedWithin(t, STOP_GRACE_MS)) return;
  signal(t, 'SIGKILL');
  if (!(await exitedWithin(t, KILL_WAIT_MS))) {
    throw new Error(`${t.name} (pid ${t.pid}) survived SIGKILL`);
  }
}

/** The processes and temp dir of one topology; everything it spawns dies in stop(). */
class Topology {
  private readonly processes: Tracked[] = [];
  /** Processes killed on purpose, so their exit does not count as the topology breaking. */
  private readonly killed = new Set<Tracked>();
  private readonly servers = new Map<number, Tracked>();
  private stopping?: Promise<void>;

  private constructor(readonly dir: string) {}

  static async create(prefix: string): Promise<Topology> {
    return new Topology(await mkdtemp(join(tmpdir(), prefix)));
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

  /** Throws as soon as a server died that nobody killed on purpose. */
  readonly assertHealthy = (): void => {
    for (const [port, t] of this.servers) {
      if (!isRunning(t) && !this.killed.has(t)) {
        throw new TopologyBroken(`redis-server on port ${port} exited unexpectedly:\n${t.log()}`);
      }
    }
  };

  async killServer(port: number): Promise<void> {
    const t = this.servers.get(port);
    if (!t) throw new Error(`no redis-server of this topology on port ${port}`);
    this.killed.add(t);
    signal(t, 'SIGKILL');
    if (!(await exitedWithin(t, KILL_WAIT_MS))) throw new Error(`${t.name} survived SIGKILL`);
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
    const proc = spawn(command, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = proc.pid;
    if (pid === undefined) {
      // spawn reports a missing binary asynchronously, through 'error'
      const error = await new Promise<Error>((resolve) => proc.once('error', resolve));
      throw new Error(`could not start ${command}: ${error.message}`);
    }
    let output = '';
    const append = (text: string) => (output = (output + text).slice(-LOG_TAIL_CHARS));
    proc.stdout?.on('data', (chunk: Buffer) => append(chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => append(chunk.toString()));
    // An unhandled 'error' on a child would crash the test process; keep it for the log instead.
    proc.on('error', (error) => append(`\n[${error.message}]\n`));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const t: Tracked = { name, proc, pid, exited, log: () => output };
    this.processes.push(t);
    return t;
  }
}

// ---------------------------------------------------------------------------------------------
// Server configuration

function serverArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--protected-mode',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    // Replicas would otherwise wait 5 s for more replicas before a diskless full sync starts.
    '--repl-diskless-sync-delay',
    '0',
    // A SIGTERMed master must not wait up to 10 s for lagging replicas: test data is disposable.
    '--shutdown-on-sigterm',
    'now',
  ];
}

function clusterArgs(port: number, nodeTimeoutMs: number): string[] {
  return [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    String(nodeTimeoutMs),
    // Lets a replica take over however long it was cut off; tests kill masters on purpose.
    '--cluster-replica-validity-factor',
    '0',
  ];
}

function sentinelConfig(port: number, dir: string, masterName: string, masterPort: number) {
  return [
    `port ${port}`,
    `bind ${HOST}`,
    'protected-mode no',
    'daemonize no',
    `dir "${dir}"`,
    `sentinel monitor ${masterName} ${HOST} ${masterPort} 2`,
    `sentinel down-after-milliseconds ${masterName} 1000`,
    `sentinel failover-timeout ${masterName} 5000`,
    `sentinel parallel-syncs ${masterName} 1`,
    '',
  ].join('\n');
}

async function waitForPing(topology: Topology, port: number, timeoutMs: number): Promise<void> {
  await waitFor(
    `redis on port ${port} to answer PING`,
    timeoutMs,
    async () => ((await withClient(port, (c) => c.ping())) === 'PONG' ? true : undefined),
    topology.assertHealthy,
  );
}

async function replicaLinkUp(port: number): Promise<boolean> {
  return (await info(port, 'replication')).master_link_status === 'up';
}

// ---------------------------------------------------------------------------------------------
// Cluster

/** One node's verdict: it sees the whole, healthy 3+3 cluster, and as a replica it is synced. */
async function nodeSeesReadyCluster(port: number): Promise<ClusterNodeView[] | undefined> {
  const state = await clusterInfo(port);
  if (state.cluster_state !== 'ok' || Number(state.cluster_known_nodes) !== CLUSTER_SIZE) return;
  const view = await clusterNodes(port);
  const masters = view.filter((n) => isMaster(n) && n.slots.length > 0);
  const replicas = view.filter(isReplica);
  if (view.some(isFailing) || masters.length !== CLUSTER_MASTERS) return;
  if (replicas.length !== CLUSTER_SIZE - CLUSTER_MASTERS) return;
  if (!replicas.every((r) => masters.some((m) => m.id === r.masterId))) return;
  const self = view.find((n) => n.flags.includes('myself'));
  if (self && isReplica(self) && !(await replicaLinkUp(port))) return;
  return view;
}

async function waitForClusterReady(
  topology: Topology,
  ports: number[],
  timeoutMs: number,
): Promise<ClusterNodeView[]> {
  return waitFor(
    'every node to report cluster_state:ok and every replica link up',
    timeoutMs,
    async () => {
      const views = await Promise.all(ports.map(nodeSeesReadyCluster));
      return views.every((v) => v !== undefined) ? views[0] : undefined;
    },
    topology.assertHealthy,
  );
}

/** Masters ordered by slot range, then each master's replica in the same order. */
function mastersFirst(view: ClusterNodeView[]): RedisNodeAddress[] {
  const masters = view
    .filter((n) => isMaster(n) && n.slots.length > 0)
    .sort((a, b) => a.slots[0][0] - b.slots[0][0]);
  const replicas = masters.flatMap((m) => view.filter((n) => n.masterId === m.id));
  return [...masters, ...replicas].map((n) => ({ host: HOST, port: n.port }));
}

function clusterHarness(topology: Topology, nodes: RedisNodeAddress[]): RedisClusterHarness {
  const livePort = () => {
    const node = nodes.find((n) => topology.isServerRunning(n.port));
    if (!node) throw new Error('no cluster node is running');
    return node.port;
  };

  const ownerOf = async (key: string) => {
    const port = livePort();
    const slot = await keySlot(port, key);
    const view = await clusterNodes(port);
    const owner = slotOwner(view, slot);
    if (!owner) throw new Error(`no master serves slot ${slot} of key '${key}'`);
    return { slot, owner, view };
  };

  const livePortsAgreeOn = async (slot: number, promotedPort: number) => {
    const live = nodes.filter((n) => topology.isServerRunning(n.port)).map((n) => n.port);
    for (const port of live) {
      if ((await clusterInfo(port)).cluster_state !== 'ok') return;
      if (slotOwner(await clusterNodes(port), slot)?.port !== promotedPort) return;
    }
    return true;
  };

  return {
    nodes,
    async masterPorts() {
      const view = await clusterNodes(livePort());
      return view
        .filter((n) => isMaster(n) && !isFailing(n))
        .map((n) => n.port)
        .sort((a, b) => a - b);
    },
    async masterFor(key) {
      return (await ownerOf(key)).owner.port;
    },
    async killMasterFor(key) {
      const { slot, owner, view } = await ownerOf(key);
      const replicaPorts = view.filter((n) => n.masterId === owner.id).map((n) => n.port);
      if (replicaPorts.length === 0) throw new Error(`master ${owner.port} has no replica`);

      const started = Date.now();
      const left = budget(FAILOVER_TIMEOUT_MS);
      await topology.killServer(owner.port);
      const promotedPort = await waitFor(
        `a replica of ${owner.port} to be promoted`,
        left(),
        async () => {
          for (const port of replicaPorts) {
            if ((await info(port, 'replication')).role === 'master') return port;
          }
        },
        topology.assertHealthy,
      );
      const failoverMs = Date.now() - started;
      await waitFor(
        `every live node to report cluster_state:ok with ${promotedPort} serving slot ${slot}`,
        left(),
        () => livePortsAgreeOn(slot, promotedPort),
        topology.assertHealthy,
      );
      return { killedPort: owner.port, promotedPort, failoverMs };
    },
    stop: () => topology.stop(),
  };
}

/**
 * 3 masters + 3 replicas on free loopback ports, joined with `redis-cli --cluster create`.
 * Resolves once every node reports cluster_state:ok and every replica's link is up.
 */
export async function startRedisCluster(
  opts: { nodeTimeoutMs?: number } = {},
): Promise<RedisClusterHarness> {
  const nodeTimeoutMs = opts.nodeTimeoutMs ?? 1_000;
  const left = budget(START_TIMEOUT_MS);
  const topology = await Topology.create('redis-cluster-');
  try {
    const ports = await freePorts(CLUSTER_SIZE, true);
    for (const port of ports) {
      await topology.spawnServer(port, [
        ...serverArgs(port, topology.dir),
        ...clusterArgs(port, nodeTimeoutMs),
      ]);
    }
    await Promise.all(ports.map((port) => waitForPing(topology, port, left())));
    await topology.run(
      REDIS_CLI,
      [
        '--cluster',
        'create',
        ...ports.map((port) => `${HOST}:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      left(),
    );
    const view = await waitForClusterReady(topology, ports, left());
    return clusterHarness(topology, mastersFirst(view));
  } catch (error) {
    await topology.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Standalone

/** One redis-server with default settings (e.g. keyspace notifications off) on a free port. */
export async function startRedisServer(): Promise<RedisServerHarness> {
  const topology = await Topology.create('redis-server-');
  try {
    const [port] = await freePorts(1, false);
    const start = async () => {
      await topology.spawnServer(port, serverArgs(port, topology.dir));
      await waitForPing(topology, port, START_TIMEOUT_MS);
    };
    await start();
    return {
      port,
      url: `redis://${HOST}:${port}`,
      restart: async () => {
        await topology.killServer(port);
        await start();
      },
      stop: () => topology.stop(),
    };
  } catch (error) {
    await topology.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Sentinel

/** One sentinel's verdict: it monitors the master, sees the synced replica and both peers. */
async function sentinelSeesAll(
  port: number,
  masterName: string,
  replicaPort: number,
): Promise<boolean> {
  return withClient(port, async (c) => {
    const master = pairsToRecord(await c.call('SENTINEL', 'MASTER', masterName));
    if (master.flags !== 'master' || Number(master['num-other-sentinels']) !== SENTINELS - 1) {
      return false;
    }
    const replicas = (await c.call('SENTINEL', 'REPLICAS', masterName)) as unknown[];
    return replicas
      .map(pairsToRecord)
      .some(
        (r) =>
          Number(r.port) === replicaPort && r.flags === 'slave' && r['master-link-status'] === 'ok',
      );
  });
}

/**
 * 1 master, 1 replica and 3 sentinels (quorum 2, down-after 1 s) on free loopback ports.
 * Resolves once every sentinel knows the master, the replica and its peers, and the link is up.
 */
export async function startRedisSentinel(): Promise<RedisSentinelHarness> {
  const masterName = 'bookstore';
  const left = budget(START_TIMEOUT_MS);
  const topology = await Topology.create('redis-sentinel-');
  try {
    const [masterPort, replicaPort, ...sentinelPorts] = await freePorts(2 + SENTINELS, false);
    await topology.spawnServer(masterPort, serverArgs(masterPort, topology.dir));
    await topology.spawnServer(replicaPort, [
      ...serverArgs(replicaPort, topology.dir),
      '--replicaof',
      HOST,
      String(masterPort),
    ]);
    // Sentinels discover replicas from the master's INFO, so the replica must be attached first.
    await waitFor(
      `replica ${replicaPort} to sync with master ${masterPort}`,
      left(),
      async () => ((await replicaLinkUp(replicaPort)) ? true : undefined),
      topology.assertHealthy,
    );
    for (const port of sentinelPorts) {
      // Sentinel rewrites its config file, so it needs a writable one of its own.
      const file = join(topology.dir, `sentinel-${port}.conf`);
      await writeFile(file, sentinelConfig(port, topology.dir, masterName, masterPort));
      await topology.spawnServer(port, [file, '--sentinel']);
    }
    await waitFor(
      'every sentinel to know the master, the replica and its peers',
      left(),
      async () => {
        const verdicts = await Promise.all(
          sentinelPorts.map((port) => sentinelSeesAll(port, masterName, replicaPort)),
        );
        return verdicts.every(Boolean) ? true : undefined;
      },
      topology.assertHealthy,
    );
    return {
      sentinels: sentinelPorts.map((port) => ({ host: HOST, port })),
      masterName,
      masterPort,
      replicaPort,
      stop: () => topology.stop(),
    };
  } catch (error) {
    await topology.stop();
    throw error;
  }
}
