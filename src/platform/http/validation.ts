import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional, except that only absence skips validation: an explicit `null` is
 * checked like any other value (and fails a type rule), rather than passing silently.
 */
export const OptionalNonNull = () => ValidateIf((_object, value) => value !== undefined);

export interface FieldError {
  field: string;
  message: string;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Unknown fields are rejected, and values are never coerced between types: a "2"
 * where a number belongs is a 400, not a 2. DTOs that read query strings convert
 * explicitly with @Transform.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        message: `Validation failed: ${details.map((d) => d.message).join('; ')}`,
        details,
      });
    },
  });
}
