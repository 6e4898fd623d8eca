import { Logger } from '@nestjs/common';
import calculateSlot from 'cluster-key-slot';
import Redis, { Cluster } from 'ioredis';
import { BatchPerNode } from './batch-per-node';
import { ReplicaShortfall } from './replica-shortfall';
import { WRITE_SESSION } from './redis-scripts';

type Args = (string | number)[];
type Reply = string | [string, string];
type WriteClient = (Redis | Cluster) & { writeSession(key: string, args: Args): Promise<Reply> };
type WritePipeline = {
  writeSession(key: string, args: Args): unknown;
  wait(replicas: number, timeout: number): unknown;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
};

interface Save {
  key: string;
  args: Args;
  resolve(reply: Reply): void;
  reject(error: unknown): void;
}

/**
 * Runs the write script; with durable saves (WAIT for N replicas) the writes and one WAIT leave
 * in one pipeline on the master's connection, so the WAIT covers them. WAIT holds that
 * connection until it returns, and where replicas are missing (a master just promoted) that is
 * its whole timeout: so at most one WAIT is in flight per master, and saves that arrive
 * meanwhile leave together behind the next one. A master that recently could not confirm is
 * written without WAIT for a while (ReplicaShortfall); the shortfall is logged at most every 10 s.
 */
export class RedisDurableWriter {
  private readonly logger = new Logger('RedisSessionStore');
  private readonly shortfall = new ReplicaShortfall();
  private readonly batches = new BatchPerNode<Save>((node, saves) => this.send(node, saves));
  private readonly client: WriteClient;
  private lastWarning = 0;

  private readonly replicas: number;
  private readonly timeoutMs: number;

  constructor(
    client: Redis | Cluster,
    durability: { durableReplicas: number; durableTimeoutMs: number },
  ) {
    this.replicas = durability.durableReplicas;
    this.timeoutMs = durability.durableTimeoutMs;
    client.defineCommand('writeSession', { numberOfKeys: 1, lua: WRITE_SESSION });
    this.client = client as WriteClient;
  }

  write(key: string, args: Args): Promise<Reply> {
    if (this.replicas === 0) return this.client.writeSession(key, args);
    const node = this.nodeOf(key);
    if (this.shortfall.isShort(node)) return this.client.writeSession(key, args);
    return new Promise((resolve, reject) => this.batches.add(node, { key, args, resolve, reject }));
  }

  /** Settles every save of the batch. */
  private async send(node: string, saves: Save[]): Promise<void> {
    const wait = !this.shortfall.isShort(node);
    const pipeline = this.client.pipeline() as unknown as WritePipeline;
    for (const s of saves) pipeline.writeSession(s.key, s.args);
    if (wait) pipeline.wait(this.replicas, this.timeoutMs);
    let replies: Array<[Error | null, unknown]>;
    try {
      replies = (await pipeline.exec()) ?? [];
    } catch (error) {
      // The whole pipeline refused, e.g. slots moved since the batch formed: one by one instead.
      if (saves.length === 1) saves[0].reject(error);
      else await Promise.all(saves.map((s) => this.send(node, [s])));
      return;
    }
    if (wait) this.confirm(node, replies[saves.length]);
    saves.forEach((s, i) => {
      const [error, reply] = replies[i] ?? [new Error('no reply to the session write')];
      if (error) s.reject(error);
      else s.resolve(reply as Reply);
    });
  }

  private confirm(node: string, [error, acked]: [Error | null, unknown] = [null, 0]): void {
    const confirmed = !error && (acked as number) >= this.replicas;
    this.shortfall.record(node, confirmed);
    if (!confirmed) this.warnShortfall(error ? 0 : (acked as number));
  }

  /**
   * The master and replicas serving `key` in ioredis's slot table, as ioredis groups slots: keys
   * of one group may share a pipeline. One name for a single-node deployment.
   */
  private nodeOf(key: string): string {
    if (!(this.client instanceof Cluster)) return 'single';
    const slots = (this.client as Cluster & { slots: string[][] }).slots;
    return slots[calculateSlot(key)]?.join(';') ?? 'unknown';
  }

  /**
   * Fewer replicas than asked confirmed in time: typically a shard just failed over and has
   * none left. The saves stand (availability over a durability nobody can give right now).
   */
  private warnShortfall(acked: number): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn(`Session save confirmed by ${acked} of ${this.replicas} replicas; accepted`);
  }
}
