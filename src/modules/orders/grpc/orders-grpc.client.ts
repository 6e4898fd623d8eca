import {
  ChannelOptions,
  Client,
  credentials,
  GrpcObject,
  loadPackageDefinition,
  Metadata,
  ServiceClientConstructor,
  ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROTO_LOADER_OPTIONS } from '../../../platform/grpc/proto-loader-options';
import { ORDERS_PROTO, ORDERS_SERVICE } from './orders-proto';

export interface OrdersClientOptions {
  /** Each attempt's deadline. */
  deadlineMs?: number;
  /** Attempts in all when the server is UNAVAILABLE, waiting 100 ms, 200 ms, … up to 2 s. */
  attempts?: number;
}

type Unary = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: number },
  callback: (err: ServiceError | null, reply: unknown) => void,
) => void;

/** After a restart the channel reconnects within a second, not grpc-js's up to 2 minutes. */
const CHANNEL: ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};

/**
 * A client of the orders API (and of the health service on the same server), as other
 * services use it: a 5 s deadline per attempt, retries with backoff on UNAVAILABLE only.
 * Retrying CreateOrder is safe because of its idempotency key.
 */
export class OrdersGrpcClient {
  private readonly clients: Record<'orders' | 'health', Client>;

  constructor(
    address: string,
    private readonly token: string,
    private readonly options: OrdersClientOptions = {},
  ) {
    const orders = loadPackageDefinition(loadSync(ORDERS_PROTO, PROTO_LOADER_OPTIONS));
    const health = loadPackageDefinition(loadSync(healthProtoPath, PROTO_LOADER_OPTIONS));
    const make = (pkg: GrpcObject, name: string) => {
      const Service = name.split('.').reduce<GrpcObject>((o, part) => o[part] as GrpcObject, pkg);
      return new (Service as unknown as ServiceClientConstructor)(
        address,
        credentials.createInsecure(),
        CHANNEL,
      );
    };
    this.clients = {
      orders: make(orders, ORDERS_SERVICE),
      health: make(health, 'grpc.health.v1.Health'),
    };
  }

  /**
   * `method` of OrdersService (e.g. "CreateOrder"), or of Health ("Check"); `headers` are
   * more metadata (e.g. a W3C `traceparent`).
   */
  async call<T = unknown>(
    method: string,
    request: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const { deadlineMs = 5_000, attempts = 5 } = this.options;
    for (
      let attempt = 1, backoffMs = 100;
      ;
      attempt++, backoffMs = Math.min(backoffMs * 2, 2_000)
    ) {
      try {
        return (await this.once(method, request, headers, deadlineMs)) as T;
      } catch (err) {
        if ((err as ServiceError).code !== status.UNAVAILABLE || attempt >= attempts) throw err;
        await sleep(backoffMs * (0.5 + Math.random() / 2));
      }
    }
  }

  close(): void {
    for (const client of Object.values(this.clients)) client.close();
  }

  private once(
    method: string,
    request: unknown,
    headers: Record<string, string>,
    deadlineMs: number,
  ): Promise<unknown> {
    const client = method in this.clients.orders ? this.clients.orders : this.clients.health;
    const fn = (client as unknown as Record<string, Unary | undefined>)[method];
    if (typeof fn !== 'function') throw new Error(`No such method: ${method}`);
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${this.token}`);
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    return new Promise((resolve, reject) =>
      fn.call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (err, reply) =>
        err ? reject(err) : resolve(reply),
      ),
    );
  }
}
