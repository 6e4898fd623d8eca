import { ApiProperty } from '@nestjs/swagger';
import { ProductDto } from '../catalog.api';

export class ProductResponse implements ProductDto {
  @ApiProperty({ example: 'P100' }) code!: string;
  @ApiProperty({ example: 'The Hunger Games' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() imageUrl!: string;
  @ApiProperty({ example: 34.0, description: 'Exact, at most 2 decimals' }) price!: number;
}

export class ProductPageResponse {
  @ApiProperty({ type: [ProductResponse] }) data!: ProductResponse[];
  @ApiProperty() totalElements!: number;
  @ApiProperty() pageNumber!: number;
  @ApiProperty() totalPages!: number;
  @ApiProperty() isFirst!: boolean;
  @ApiProperty() isLast!: boolean;
  @ApiProperty() hasNext!: boolean;
  @ApiProperty() hasPrevious!: boolean;
}
