import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** The OpenAPI shape of a PagedResult of `item`, to extend with a named class. */
export function PageResponseOf<T>(item: Type<T>) {
  class PageResponse {
    @ApiProperty({ type: [item] }) data!: T[];
    @ApiProperty() totalElements!: number;
    @ApiProperty() pageNumber!: number;
    @ApiProperty() totalPages!: number;
    @ApiProperty() isFirst!: boolean;
    @ApiProperty() isLast!: boolean;
    @ApiProperty() hasNext!: boolean;
    @ApiProperty() hasPrevious!: boolean;
  }
  return PageResponse;
}
