import { Transform } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { toInt } from '../../config/env-transforms';
import { parseSettings } from '../../config/settings';

export const ORDERS_SETTINGS = Symbol('ORDERS_SETTINGS');

export interface OrdersGrpcSettings {
  port: number;
  /** The bearer token every trusted caller sends; never logged. */
  token: string;
  /** Calls per second per caller address (a token bucket of as many calls). */
  ratePerSecond: number;
}

export interface OrdersSettings {
  /** The gRPC API for other services; absent unless GRPC_PORT is set. */
  grpc?: OrdersGrpcSettings;
}

/** The orders module's environment variables, validated at start-up. */
export class OrdersEnv {
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'GRPC_PORT must be a port number from 1 to 65535' })
  @Min(1, { message: 'GRPC_PORT must be a port number from 1 to 65535' })
  @Max(65535, { message: 'GRPC_PORT must be a port number from 1 to 65535' })
  GRPC_PORT?: number;

  @ValidateIf((env: OrdersEnv) => env.GRPC_PORT !== undefined || env.GRPC_TOKEN !== undefined)
  @IsDefined({ message: 'GRPC_TOKEN is required when GRPC_PORT is set' })
  @Matches(/^[\x21-\x7e]{16,512}$/, {
    message: 'GRPC_TOKEN must be 16 to 512 printable ASCII characters without spaces',
  })
  GRPC_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'GRPC_RATE_LIMIT must be an integer from 1 to 100000' })
  @Min(1, { message: 'GRPC_RATE_LIMIT must be an integer from 1 to 100000' })
  @Max(100_000, { message: 'GRPC_RATE_LIMIT must be an integer from 1 to 100000' })
  GRPC_RATE_LIMIT = 100;
}

export function ordersSettings(raw: Record<string, unknown>): OrdersSettings {
  const env = parseSettings(OrdersEnv, raw);
  if (env.GRPC_PORT === undefined) return {};
  return {
    grpc: { port: env.GRPC_PORT, token: env.GRPC_TOKEN!, ratePerSecond: env.GRPC_RATE_LIMIT },
  };
}
