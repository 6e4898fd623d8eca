import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
  NotImplementedException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Metadata, status } from '@grpc/grpc-js';
import { isDatabaseUnavailable } from '../../../platform/database/database-unavailable';
import { badRequestMetadata, FieldViolation } from '../../../platform/grpc/field-violations';
import { IdempotencyKeyReused, OutOfStock } from '../application/order.errors';

/** Bad input, each bad field named (google.rpc.BadRequest in the trailers). */
export class InvalidArgument extends BadRequestException {
  constructor(readonly violations: FieldViolation[]) {
    super(`Invalid request: ${violations.map((v) => `${v.field} ${v.description}`).join('; ')}`);
  }
}

export class TooManyCalls extends HttpException {
  constructor() {
    super('Too many calls from this address; retry with backoff', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The caller's deadline passed (or it cancelled) before the work committed: nothing written. */
export class DeadlinePassed extends Error {
  constructor() {
    super('Deadline exceeded before the order was committed; nothing was written');
  }
}

/** Postgres aborted the transaction for a concurrent one (serialization failure, deadlock). */
const CONCURRENCY_ABORTS = new Set(['40001', '40P01']);

function isConcurrencyAbort(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && CONCURRENCY_ABORTS.has(code);
}

const is =
  (type: abstract new (...args: never[]) => unknown) =>
  (err: unknown): boolean =>
    err instanceof type;

/**
 * The one table from what went wrong to the gRPC status (the README's "gRPC API" mirrors it).
 * First match wins, so a specific class sits above its HTTP parent.
 */
export const GRPC_ERROR_TABLE: ReadonlyArray<[(err: unknown) => boolean, status]> = [
  [is(NotFoundException), status.NOT_FOUND],
  [is(OutOfStock), status.FAILED_PRECONDITION],
  [is(IdempotencyKeyReused), status.ALREADY_EXISTS],
  [is(ConflictException), status.FAILED_PRECONDITION],
  [isConcurrencyAbort, status.ABORTED],
  [is(BadRequestException), status.INVALID_ARGUMENT],
  [is(UnauthorizedException), status.UNAUTHENTICATED],
  [is(TooManyCalls), status.RESOURCE_EXHAUSTED],
  [(e) => e instanceof ServiceUnavailableException || isDatabaseUnavailable(e), status.UNAVAILABLE],
  [is(DeadlinePassed), status.DEADLINE_EXCEEDED],
  [is(NotImplementedException), status.UNIMPLEMENTED],
];

export interface GrpcError {
  code: status;
  message: string;
  metadata?: Metadata;
}

const logger = new Logger('OrdersGrpc');

/** The status, a message for the caller (never internals) and, for bad input, the fields. */
export function grpcError(err: unknown): GrpcError {
  const code = GRPC_ERROR_TABLE.find(([matches]) => matches(err))?.[1];
  if (code === undefined) {
    logger.error(err);
    return { code: status.INTERNAL, message: 'Internal server error' };
  }
  if (code === status.UNAVAILABLE) return { code, message: 'Database unavailable; retry' };
  if (code === status.ABORTED) {
    return { code, message: 'Aborted by a concurrent change; nothing written, retry' };
  }
  const message = (err as Error).message;
  if (err instanceof InvalidArgument) {
    return { code, message, metadata: badRequestMetadata(message, err.violations) };
  }
  return { code, message };
}
