import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Query strings are text: only plain digits become a number, anything else fails validation. */
const digitsToInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

const PAGE_RULE = 'page must be an integer from 1 to 100000';

export class ProductsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100_000, default: 1 })
  @Transform(digitsToInt)
  @IsInt({ message: PAGE_RULE })
  @Min(1, { message: PAGE_RULE })
  @Max(100_000, { message: PAGE_RULE })
  page: number = 1;
}
