import { Transform } from 'class-transformer';

/** Query strings are text: only plain digits become a number, anything else fails validation. */
export const QueryInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  );
