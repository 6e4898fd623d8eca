import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_QUANTITY } from '../domain/cart';

const QUANTITY_RULE = `quantity must be an integer from 1 to ${MAX_QUANTITY}`;

export class QuantityDto {
  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 1 })
  @IsInt({ message: QUANTITY_RULE })
  @Min(1, { message: QUANTITY_RULE })
  @Max(MAX_QUANTITY, { message: QUANTITY_RULE })
  quantity!: number;
}

export class AddItemDto extends QuantityDto {
  @ApiProperty({ example: 'P100' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be a product code' })
  code!: string;
}
