import Redis from 'ioredis';
import { LOOPBACK } from '../ports';
import { Topology } from './topology';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** One short-lived connection per question: nodes come and go, so nothing is kept open. */
export async function withClient<T>(port: number, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    host: LOOPBACK,
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

/** `field:value` lines of INFO and CLUSTER INFO. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

export const info = (port: number, section: string) =>
  withClient(port, (c) => c.info(section)).then(parseInfo);

export async function replicaLinkUp(port: number): Promise<boolean> {
  return (await info(port, 'replication')).master_link_status === 'up';
}

export async function waitForPing(topology: Topology, port: number, timeoutMs: number) {
  await topology.poll(`redis on port ${port} to answer PING`, timeoutMs, async () =>
    (await withClient(port, (c) => c.ping())) === 'PONG' ? true : undefined,
  );
}

/** The arguments every server of every topology starts with. */
export function serverArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    LOOPBACK,
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
