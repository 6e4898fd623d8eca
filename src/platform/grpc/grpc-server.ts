import type { Server } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { GrpcOptions, Transport } from '@nestjs/microservices';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { GrpcDrain } from './grpc-drain';
import type { GrpcHealth } from './grpc-health';
import { PROTO_LOADER_OPTIONS } from './proto-loader-options';

export interface GrpcServerConfig {
  port: number;
  packageName: string;
  protoPath: string;
  /** Fully qualified service names, each reported by the health service. */
  services: string[];
}

/**
 * A gRPC server beside the HTTP one (a Nest hybrid application), on every address, with
 * the standard health service and server reflection. In-flight calls finish at shutdown
 * (GrpcDrain).
 */
export function grpcServerOptions(
  config: GrpcServerConfig,
  { health, drain }: { health: GrpcHealth; drain: GrpcDrain },
): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url: `0.0.0.0:${config.port}`,
      package: config.packageName,
      protoPath: config.protoPath,
      loader: PROTO_LOADER_OPTIONS,
      gracefulShutdown: true,
      onLoadPackageDefinition: (definition: object, server: Server) => {
        drain.track(server);
        health.addToServer(server, config.services);
        const withHealth = { ...definition, ...loadSync(healthProtoPath, PROTO_LOADER_OPTIONS) };
        new ReflectionService(withHealth).addToServer(server);
      },
    },
  };
}
