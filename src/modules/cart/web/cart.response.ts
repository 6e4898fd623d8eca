import { ApiProperty } from '@nestjs/swagger';
import { CartView } from '../domain/cart';

export class CartItemResponse {
  @ApiProperty({ example: 'P100' }) code!: string;
  @ApiProperty({ example: 'The Hunger Games' }) name!: string;
  @ApiProperty({ example: 34, description: 'Catalog price when the line was added' })
  price!: number;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ example: 68 }) subtotal!: number;
}

export class CartResponse implements CartView {
  @ApiProperty({ type: [CartItemResponse] }) items!: CartItemResponse[];
  @ApiProperty({ example: 68 }) totalAmount!: number;
  @ApiProperty({ example: 2, description: 'Sum of quantities' }) itemCount!: number;
}
