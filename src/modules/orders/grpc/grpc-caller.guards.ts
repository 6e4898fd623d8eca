import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RateLimiter } from '../../../platform/grpc/rate-limiter';
import { ORDERS_SETTINGS, OrdersSettings } from '../orders.settings';
import { TooManyCalls } from './grpc-errors';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `authorization: Bearer <GRPC_TOKEN>`, compared in constant time (both sides hashed to
 * one length first, so not even the token's length leaks).
 */
@Injectable()
export class GrpcBearerToken implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(ORDERS_SETTINGS) settings: OrdersSettings) {
    this.expected = settings.grpc && digest(settings.grpc.token);
  }

  canActivate(context: ExecutionContext): boolean {
    const [header] = context.switchToRpc().getContext<Metadata>().get('authorization');
    const token = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header)?.[1] : undefined;
    if (!this.expected || token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('A valid bearer token is required');
    }
    return true;
  }
}

/** Calls per caller address, counted before the token is checked (so guessing is limited too). */
@Injectable()
export class GrpcRateLimit implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(@Inject(ORDERS_SETTINGS) settings: OrdersSettings) {
    this.limiter = new RateLimiter(settings.grpc?.ratePerSecond ?? 1);
  }

  canActivate(context: ExecutionContext): boolean {
    const call = context.getArgByIndex<ServerUnaryCall<unknown, unknown>>(2);
    const address = call.getPeer().replace(/:\d+$/, '');
    if (!this.limiter.take(address)) throw new TooManyCalls();
    return true;
  }
}
