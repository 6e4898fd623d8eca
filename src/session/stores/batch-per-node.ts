/**
 * Per node, at most one batch in flight; items added meanwhile leave together as the next batch
 * once it is done (group commit). `send` settles its items itself; its outcome only frees the node.
 */
export class BatchPerNode<T> {
  private readonly queued = new Map<string, T[]>();

  constructor(private readonly send: (node: string, batch: T[]) => Promise<void>) {}

  add(node: string, item: T): void {
    const queue = this.queued.get(node);
    if (queue) queue.push(item);
    else this.run(node, [item]);
  }

  private run(node: string, batch: T[]): void {
    this.queued.set(node, []);
    const next = () => {
      const more = this.queued.get(node)!;
      if (more.length > 0) this.run(node, more);
      else this.queued.delete(node);
    };
    this.send(node, batch).then(next, next);
  }
}
