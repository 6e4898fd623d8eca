import { INestApplication, Logger } from '@nestjs/common';
import { grpcServerOptions } from '../../../platform/grpc/grpc-server';
import { GrpcDrain } from '../../../platform/grpc/grpc-drain';
import { GrpcHealth } from '../../../platform/grpc/grpc-health';
import { ORDERS_SETTINGS, OrdersSettings } from '../orders.settings';
import { ORDERS_PACKAGE, ORDERS_PROTO, ORDERS_SERVICE } from './orders-proto';

/**
 * Adds the orders gRPC server to the app (a hybrid application) when GRPC_PORT is set;
 * `app.startAllMicroservices()` then starts it.
 */
export function connectOrdersGrpc(app: INestApplication): void {
  const { grpc } = app.get<OrdersSettings>(ORDERS_SETTINGS);
  if (!grpc) return;
  const options = grpcServerOptions(
    {
      port: grpc.port,
      packageName: ORDERS_PACKAGE,
      protoPath: ORDERS_PROTO,
      services: [ORDERS_SERVICE],
    },
    { health: app.get(GrpcHealth), drain: app.get(GrpcDrain) },
  );
  app.connectMicroservice(options, { inheritAppConfig: false });
  new Logger('OrdersGrpc').log(`gRPC orders API on port ${grpc.port} (all addresses)`);
}
