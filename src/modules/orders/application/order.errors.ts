import { ConflictException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';

/**
 * What placing an order can refuse, by meaning: HTTP exceptions for the REST edge (the
 * standard error body), and distinct classes so the gRPC edge can give each its own code.
 */
export class ProductNotFound extends NotFoundException {
  constructor(code: string) {
    super(`Product with code '${code}' not found`);
  }
}

/** A line is short of stock; nothing was written. */
export class OutOfStock extends ConflictException {}

export class IdempotencyKeyReused extends UnprocessableEntityException {
  constructor() {
    super('Idempotency-Key was already used with a different request body');
  }
}
