import { ClassConstructor, plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsInt,
  IsObject,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  ValidationError,
  validateSync,
} from 'class-validator';
import type { FieldViolation } from '../../../platform/grpc/field-violations';
import { InvalidArgument } from './grpc-errors';

// Fields are named as in orders.proto (snake_case); the rules are the REST API's.
const NOT_BLANK = /\S/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class CustomerRequest {
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  name!: string;

  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  email!: string;

  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @MaxLength(30, { message: 'must be at most 30 characters' })
  phone!: string;
}

export class LineRequest {
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'must be a product code' })
  code!: string;

  @IsInt({ message: 'must be an integer from 1 to 99' })
  @Min(1, { message: 'must be an integer from 1 to 99' })
  @Max(99, { message: 'must be an integer from 1 to 99' })
  quantity!: number;
}

export class CreateOrderRequest {
  @IsObject({ message: 'is required' })
  @ValidateNested()
  @Type(() => CustomerRequest)
  customer!: CustomerRequest;

  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  delivery_address!: string;

  @ArrayMinSize(1, { message: 'must have at least 1 line' })
  @ArrayMaxSize(50, { message: 'must have at most 50 lines' })
  @ValidateNested({ each: true })
  @Type(() => LineRequest)
  lines!: LineRequest[];

  @Matches(/^[\x21-\x7e]{1,100}$/, {
    message: 'is required: 1 to 100 printable ASCII characters',
  })
  idempotency_key!: string;
}

export class OrderNumberRequest {
  @Matches(UUID, { message: 'must be an order number (a UUID)' })
  order_number!: string;
}

export class ListOrdersRequest {
  @IsInt()
  @Min(0, { message: 'must be 1 or more (0: the first page)' })
  @Max(100_000, { message: 'must be at most 100000' })
  page!: number;

  @IsInt()
  @Min(0, { message: 'must be from 1 to 100 (0: 10)' })
  @Max(100, { message: 'must be from 1 to 100 (0: 10)' })
  page_size!: number;

  @ValidateIf((r: ListOrdersRequest) => r.customer_email !== '')
  @IsEmail({}, { message: 'must be an email address (or empty: every customer)' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  customer_email!: string;
}

/** The request as `type`, or INVALID_ARGUMENT naming every bad field. */
export function validated<T extends object>(type: ClassConstructor<T>, message: unknown): T {
  const request = plainToInstance(type, message);
  const violations = [...nulFields(message), ...flatten(validateSync(request))];
  if (violations.length > 0) throw new InvalidArgument(violations);
  return request;
}

function flatten(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    // A missing message fails its own rule; "nested property … must be an object" adds nothing.
    const rules = Object.entries(e.constraints ?? {});
    const own = rules
      .filter(([rule]) => rule !== 'nestedValidation' || rules.length === 1)
      .map(([, description]) => ({ field, description }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Protobuf strings may hold NUL, which Postgres refuses in text: refused here instead. */
function nulFields(value: unknown, field = ''): FieldViolation[] {
  if (typeof value === 'string') {
    return value.includes('\0') ? [{ field, description: 'must not contain NUL' }] : [];
  }
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    nulFields(v, Array.isArray(value) ? `${field}[${key}]` : field ? `${field}.${key}` : key),
  );
}
