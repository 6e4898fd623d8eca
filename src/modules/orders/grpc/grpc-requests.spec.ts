import type { ClassConstructor } from 'class-transformer';
import { CreateOrderRequest, ListOrdersRequest, validated } from './grpc-requests';
import { InvalidArgument } from './grpc-errors';

const good = {
  customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
  delivery_address: '1 Main St',
  lines: [{ code: 'P100', quantity: 1 }],
  idempotency_key: 'k-1',
};

function violations(type: ClassConstructor<object>, message: unknown) {
  try {
    validated(type, message);
  } catch (err) {
    if (err instanceof InvalidArgument) return err.violations.map((v) => v.field);
    throw err;
  }
  return [];
}

describe('gRPC request validation', () => {
  it('accepts a good request as it came', () => {
    expect(validated(CreateOrderRequest, good)).toMatchObject(good);
    expect(violations(ListOrdersRequest, { page: 0, page_size: 0, customer_email: '' })).toEqual(
      [],
    );
  });

  it('names nested and repeated fields as the proto does', () => {
    const lines = [...good.lines, { code: 'no spaces', quantity: 1.5 }];
    expect(violations(CreateOrderRequest, { ...good, lines })).toEqual([
      'lines[1].code',
      'lines[1].quantity',
    ]);
    expect(
      violations(CreateOrderRequest, { ...good, customer: { ...good.customer, email: 'x' } }),
    ).toEqual(['customer.email']);
  });

  it('refuses NUL anywhere, which Postgres cannot store', () => {
    const customer = { ...good.customer, name: 'A\u0000da' };
    expect(violations(CreateOrderRequest, { ...good, customer })).toEqual(['customer.name']);
  });

  it('says a missing message is required, once', () => {
    expect(violations(CreateOrderRequest, { ...good, customer: null })).toEqual(['customer']);
  });

  it('bounds lines, keys and paging', () => {
    const many = Array.from({ length: 51 }, () => good.lines[0]);
    expect(violations(CreateOrderRequest, { ...good, lines: many })).toEqual(['lines']);
    expect(violations(CreateOrderRequest, { ...good, idempotency_key: 'x'.repeat(101) })).toEqual([
      'idempotency_key',
    ]);
    expect(
      violations(ListOrdersRequest, { page: -1, page_size: 101, customer_email: 'nope' }),
    ).toEqual(['page', 'page_size', 'customer_email']);
  });
});
