import { ApiProperty } from '@nestjs/swagger';
import { PageResponseOf } from '../../../platform/http/page.response';
import { ProductDto } from '../catalog.api';

export class ProductResponse implements ProductDto {
  @ApiProperty({ example: 'P100' }) code!: string;
  @ApiProperty({ example: 'The Hunger Games' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() imageUrl!: string;
  @ApiProperty({ example: 34.0, description: 'Exact, at most 2 decimals' }) price!: number;
}

export class ProductPageResponse extends PageResponseOf(ProductResponse) {}
