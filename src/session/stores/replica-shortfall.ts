/**
 * Masters that recently could not confirm a write to enough replicas (typically one just
 * promoted by a failover, with no replica left). WAIT there would hold the node's connection
 * for the whole WAIT timeout on every batch, so writes skip it for a while; after that, the next
 * batch probes with WAIT again.
 */
export class ReplicaShortfall {
  private readonly until = new Map<string, number>();

  constructor(private readonly periodMs = 1_000) {}

  isShort(node: string): boolean {
    const until = this.until.get(node);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(node);
    return false;
  }

  record(node: string, acked: boolean): void {
    if (acked) this.until.delete(node);
    else this.until.set(node, Date.now() + this.periodMs);
  }
}
