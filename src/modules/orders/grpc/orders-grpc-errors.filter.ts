import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { grpcError } from './grpc-errors';

/** Every error of the orders gRPC calls, through the one table in grpc-errors.ts. */
@Catch()
export class OrdersGrpcErrors implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => grpcError(exception));
  }
}
