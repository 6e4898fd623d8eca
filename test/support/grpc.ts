import {
  credentials,
  GrpcObject,
  loadPackageDefinition,
  ServiceClientConstructor,
  ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { startAppProcess } from './app-process';
import type { TestDatabase } from './database';
import { freePort } from './ports';
import { TEST_REDIS_URL, testNamespace } from './redis';

interface ReflectionReply {
  list_services_response?: { service: Array<{ name: string }> };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
}

/** Names a reflection server lists, and whether it describes `symbol` (v1 reflection). */
export async function reflect(address: string, symbol: string) {
  const proto = join(
    dirname(require.resolve('@grpc/reflection')),
    '../proto/grpc/reflection/v1/reflection.proto',
  );
  const pkg = loadPackageDefinition(loadSync(proto, { keepCase: true, oneofs: true }));
  const reflection = (pkg.grpc as GrpcObject).reflection as GrpcObject;
  const Service = (reflection.v1 as GrpcObject).ServerReflection as ServiceClientConstructor;
  const client = new Service(address, credentials.createInsecure());
  const stream = client.ServerReflectionInfo({ deadline: Date.now() + 5_000 });
  const replies: ReflectionReply[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (reply: ReflectionReply) => replies.push(reply));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.write({ list_services: '' });
  stream.write({ file_containing_symbol: symbol });
  stream.end();
  await done;
  client.close();
  const services = replies
    .flatMap((r) => r.list_services_response?.service ?? [])
    .map((s) => s.name);
  const files = replies.flatMap((r) => r.file_descriptor_response?.file_descriptor_proto ?? []);
  return { services, describes: files.some((f) => f.includes(symbol.split('.').pop()!)) };
}

/** A health Watch stream, as client-side health checking keeps one open: the statuses seen. */
export function watchHealth(address: string) {
  const pkg = loadPackageDefinition(loadSync(healthProtoPath, { keepCase: true, enums: String }));
  const health = ((pkg.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject;
  const client = new (health.Health as ServiceClientConstructor)(
    address,
    credentials.createInsecure(),
  );
  const stream = client.Watch({ service: '' });
  const statuses: string[] = [];
  stream.on('data', (reply: { status: string }) => statuses.push(reply.status));
  const ended = new Promise<void>((resolve) => {
    stream.on('error', () => resolve());
    stream.on('end', () => resolve());
  });
  return { statuses, ended: ended.then(() => client.close()) };
}

/** A transaction of the test's own on `url`, to hold row locks while the app waits on them. */
export async function lockingTransaction(url: string) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  await client.query('BEGIN');
  // The app's backend, not this one, runs the deadlock check first (it waits 1 s, the default).
  await client.query("SET LOCAL deadlock_timeout = '60s'");
  return {
    lock: (code: string) =>
      client.query('SELECT 1 FROM inventory.stock WHERE product_code = $1 FOR UPDATE', [code]),
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

export const GRPC_TEST_TOKEN = 'e2e-grpc-token-0123456789';

/**
 * The built app with its gRPC server on a port of its own: `address` (host:port) for
 * clients, and `env` (ports included) to start it again as it was.
 */
export async function startGrpcApp(env: Record<string, string>) {
  const port = await freePort();
  const full = {
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    GRPC_PORT: String(port),
    GRPC_TOKEN: GRPC_TEST_TOKEN,
    ...env,
  };
  const app = await startAppProcess(full);
  return { app, address: `127.0.0.1:${port}`, env: { ...full, PORT: String(app.port) } };
}

/** The error a call failed with (and a test failure if it succeeded). */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: ServiceError) => err,
  );

export async function ordersWithKey(db: TestDatabase, key: string): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders.orders WHERE idempotency_key = $1',
    [key],
  );
  return n;
}
