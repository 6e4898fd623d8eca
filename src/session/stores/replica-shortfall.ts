/**
 * Nodes that recently could not confirm a write to enough replicas (typically a master just
 * promoted by a failover, with no replica left). WAIT there would block the node's shared
 * connection for the whole WAIT timeout on every write, so writes skip it for a while; once
 * the while is over, one write probes again with WAIT.
 */
export class ReplicaShortfall {
  private readonly until = new Map<string, number>();

  constructor(private readonly periodMs = 1_000) {}

  /** True: write without WAIT. An expired entry lets exactly this caller probe. */
  skipWait(node: string): boolean {
    const until = this.until.get(node);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.set(node, Date.now() + this.periodMs);
    return false;
  }

  record(node: string, acked: boolean): void {
    if (acked) this.until.delete(node);
    else this.until.set(node, Date.now() + this.periodMs);
  }
}
