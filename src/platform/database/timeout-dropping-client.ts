import { Client } from 'pg';
import type { Duplex } from 'node:stream';

const QUERY_TIMEOUT = 'Query read timeout';

/**
 * A pg client that gives up its connection when a query times out. pg only abandons the
 * timed-out query: the connection stays busy behind it, so the next statement on it (the
 * ROLLBACK of the failed transaction, or the next request's query) would wait out a
 * timeout of its own. Closing it fails those at once, and the pool opens a fresh one.
 */
export class TimeoutDroppingClient extends Client {
  /** @internal */
  dropAfterTimeout(err: unknown): void {
    if ((err as Error | undefined)?.message !== QUERY_TIMEOUT) return;
    this.end().catch(() => undefined); // marks it ending: queued queries fail, no 'error' event
    (this.connection as unknown as { stream: Duplex }).stream.destroy();
  }
}

// Called below with the client as `this`.
// eslint-disable-next-line @typescript-eslint/unbound-method
const query = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;

// pg's query() has a dozen overloads; every form passes through untouched, and the
// promise form (TypeORM's) is watched for its timeout.
TimeoutDroppingClient.prototype.query = function (
  this: TimeoutDroppingClient,
  ...args: unknown[]
): unknown {
  const result = query.apply(this, args);
  if (result instanceof Promise) result.catch((err: unknown) => this.dropAfterTimeout(err));
  return result;
} as unknown as Client['query'];
