// `npm run grpc:call -- <Method> '<json request>'`: one call to the orders gRPC API, the reply
// as JSON on stdout. GRPC_ADDR (default 127.0.0.1:50051) and GRPC_TOKEN from the environment.
// Methods: CreateOrder, GetOrder, ListOrders, CancelOrder, and the health service's Check.
import type { ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { fieldViolationsOf } from '../../../platform/grpc/field-violations';
import { OrdersGrpcClient } from './orders-grpc.client';

async function main(): Promise<void> {
  const [method, json = '{}'] = process.argv.slice(2);
  if (!method) throw new Error("usage: npm run grpc:call -- <Method> '<json request>'");
  const client = new OrdersGrpcClient(
    process.env.GRPC_ADDR ?? '127.0.0.1:50051',
    process.env.GRPC_TOKEN ?? '',
  );
  try {
    console.log(JSON.stringify(await client.call(method, JSON.parse(json)), null, 2));
  } finally {
    client.close();
  }
}

main().catch((err: ServiceError) => {
  const name = typeof err.code === 'number' ? `${status[err.code]}: ` : '';
  console.error(`${name}${err.details ?? err.message}`);
  for (const v of fieldViolationsOf(err.metadata)) console.error(`  ${v.field}: ${v.description}`);
  process.exit(1);
});
