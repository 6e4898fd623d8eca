import { BatchPerNode } from './batch-per-node';

describe('BatchPerNode', () => {
  function recorder() {
    const sent: Array<[string, number[]]> = [];
    const done: Array<() => void> = [];
    const batcher = new BatchPerNode<number>((node, batch) => {
      sent.push([node, batch]);
      return new Promise<void>((resolve) => done.push(resolve));
    });
    const finish = async (i: number) => {
      done[i]();
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { sent, batcher, finish };
  }

  it('sends the first item at once and groups what arrives while it is in flight', async () => {
    const { sent, batcher, finish } = recorder();
    batcher.add('a', 1);
    batcher.add('a', 2);
    batcher.add('a', 3);
    batcher.add('b', 4);
    expect(sent).toEqual([
      ['a', [1]],
      ['b', [4]],
    ]);
    await finish(0);
    expect(sent[2]).toEqual(['a', [2, 3]]);
    batcher.add('a', 5);
    expect(sent).toHaveLength(3);
    await finish(2);
    expect(sent[3]).toEqual(['a', [5]]);
    await finish(3);
    batcher.add('a', 6); // the node is idle again: straight out
    expect(sent[4]).toEqual(['a', [6]]);
  });

  it('frees the node when a batch fails', async () => {
    const sent: number[][] = [];
    const batcher = new BatchPerNode<number>((_, batch) => {
      sent.push(batch);
      return Promise.reject(new Error('down'));
    });
    batcher.add('a', 1);
    batcher.add('a', 2);
    await new Promise((resolve) => setImmediate(resolve));
    batcher.add('a', 3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([[1], [2], [3]]);
  });
});
