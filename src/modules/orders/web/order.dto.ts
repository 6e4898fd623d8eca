import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { QueryInt } from '../../../platform/http/query-int';
import { OptionalNonNull } from '../../../platform/http/validation';

const NOT_BLANK = /\S/;

export class CustomerDto {
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 100 })
  @IsString()
  @Matches(NOT_BLANK, { message: 'customer.name must not be blank' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsString()
  @IsEmail({}, { message: 'customer.email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '+44 20 7946 0000', maxLength: 30 })
  @IsString()
  @Matches(NOT_BLANK, { message: 'customer.phone must not be blank' })
  @MaxLength(30)
  phone!: string;
}

export class OrderItemDto {
  @ApiProperty({ example: 'P100' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'item.code must be a product code' })
  code!: string;

  @ApiPropertyOptional({ description: 'Ignored: the catalog name is used' })
  @OptionalNonNull()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Ignored: the catalog price is used' })
  @OptionalNonNull()
  @IsNumber()
  price?: number;

  @ApiProperty({ minimum: 1, maximum: 99, example: 1 })
  @IsInt({ message: 'item.quantity must be an integer from 1 to 99' })
  @Min(1, { message: 'item.quantity must be an integer from 1 to 99' })
  @Max(99, { message: 'item.quantity must be an integer from 1 to 99' })
  quantity!: number;
}

export class CreateOrderDto {
  @ApiProperty({ type: CustomerDto })
  @IsObject({ message: 'customer must be an object' })
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @ApiProperty({ example: '221B Baker Street, London', maxLength: 500 })
  @IsString()
  @Matches(NOT_BLANK, { message: 'deliveryAddress must not be blank' })
  @MaxLength(500)
  deliveryAddress!: string;

  @ApiPropertyOptional({ type: OrderItemDto, description: 'Ordered when the cart is empty' })
  @OptionalNonNull()
  @IsObject({ message: 'item must be an object' })
  @ValidateNested()
  @Type(() => OrderItemDto)
  item?: OrderItemDto;
}

export class OrdersQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 10;
}
