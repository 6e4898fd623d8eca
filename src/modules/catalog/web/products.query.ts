import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { QueryInt } from '../../../platform/http/query-int';

const PAGE_RULE = 'page must be an integer from 1 to 100000';

export class ProductsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100_000, default: 1 })
  @QueryInt()
  @IsInt({ message: PAGE_RULE })
  @Min(1, { message: PAGE_RULE })
  @Max(100_000, { message: PAGE_RULE })
  page: number = 1;
}
