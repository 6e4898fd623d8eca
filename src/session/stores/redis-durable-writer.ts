import { Logger } from '@nestjs/common';
import calculateSlot from 'cluster-key-slot';
import Redis, { Cluster } from 'ioredis';
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

/**
 * Runs the write script; with durable saves (WAIT for N replicas) the script and WAIT leave in
 * one pipeline on the key's connection. A node that recently could not confirm is written
 * without WAIT for a while (ReplicaShortfall), and the shortfall is logged at most every 10 s.
 */
export class RedisDurableWriter {
  private readonly logger = new Logger('RedisSessionStore');
  private readonly shortfall = new ReplicaShortfall();
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
    if (this.shortfall.skipWait(node)) return this.client.writeSession(key, args);
    return this.writeAndWait(key, args, node);
  }

  private async writeAndWait(key: string, args: Args, node: string): Promise<Reply> {
    const pipeline = this.client.pipeline() as unknown as WritePipeline;
    pipeline.writeSession(key, args);
    pipeline.wait(this.replicas, this.timeoutMs);
    const [[writeError, reply], [waitError, acked]] = (await pipeline.exec()) ?? [];
    if (writeError) throw writeError;
    const confirmed = !waitError && (acked as number) >= this.replicas;
    this.shortfall.record(node, confirmed);
    if (!confirmed) this.warnShortfall(waitError ? 0 : (acked as number));
    return reply as Reply;
  }

  /** The master serving `key` (ioredis's slot table); one name for a single-node deployment. */
  private nodeOf(key: string): string {
    if (!(this.client instanceof Cluster)) return 'single';
    const slots = (this.client as Cluster & { slots: string[][] }).slots;
    return slots[calculateSlot(key)]?.[0] ?? 'unknown';
  }

  /**
   * Fewer replicas than asked confirmed in time: typically a shard just failed over and has
   * none left. The save stands (availability over a durability nobody can give right now).
   */
  private warnShortfall(acked: number): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn(`Session save confirmed by ${acked} of ${this.replicas} replicas; accepted`);
  }
}
