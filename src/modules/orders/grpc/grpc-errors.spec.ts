import {
  ConflictException,
  NotImplementedException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { fieldViolationsOf } from '../../../platform/grpc/field-violations';
import { IdempotencyKeyReused, OutOfStock, ProductNotFound } from '../application/order.errors';
import { DeadlinePassed, grpcError, InvalidArgument, TooManyCalls } from './grpc-errors';

describe('gRPC error table', () => {
  it.each([
    ['an unknown product', new ProductNotFound('P999'), status.NOT_FOUND],
    [
      'a short line',
      new OutOfStock("Insufficient stock for product 'P100'"),
      status.FAILED_PRECONDITION,
    ],
    ['a reused key', new IdempotencyKeyReused(), status.ALREADY_EXISTS],
    ['a deadlock', { code: '40P01', message: 'deadlock detected' }, status.ABORTED],
    ['a serialization failure', { driverError: { code: '40001' } }, status.ABORTED],
    [
      'bad input',
      new InvalidArgument([{ field: 'x', description: 'bad' }]),
      status.INVALID_ARGUMENT,
    ],
    ['no token', new UnauthorizedException(), status.UNAUTHENTICATED],
    ['too many calls', new TooManyCalls(), status.RESOURCE_EXHAUSTED],
    ['Postgres refusing', { code: 'ECONNREFUSED' }, status.UNAVAILABLE],
    ['a 503', new ServiceUnavailableException(), status.UNAVAILABLE],
    ['a passed deadline', new DeadlinePassed(), status.DEADLINE_EXCEEDED],
    ['a call not built yet', new NotImplementedException(), status.UNIMPLEMENTED],
    [
      'another state conflict',
      new ConflictException('already cancelled'),
      status.FAILED_PRECONDITION,
    ],
    ['a bug', new TypeError('x is undefined'), status.INTERNAL],
  ])('maps %s', (_what, err, code) => {
    expect(grpcError(err).code).toBe(code);
  });

  it('never tells the caller what an unexpected error said', () => {
    expect(grpcError(new Error('password=secret')).message).toBe('Internal server error');
  });

  it('names each bad field in the standard details', () => {
    const violations = [{ field: 'lines[0].quantity', description: 'must be 1 to 99' }];
    const { metadata, message } = grpcError(new InvalidArgument(violations));
    expect(message).toBe('Invalid request: lines[0].quantity must be 1 to 99');
    expect(fieldViolationsOf(metadata)).toEqual(violations);
  });
});
