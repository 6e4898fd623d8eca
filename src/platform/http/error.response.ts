import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorBody } from './error-body';

/** The standard error body, for the OpenAPI document. */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ example: 404 }) status!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: "Product with code 'X' not found" }) message!: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) timestamp!: string;
  @ApiProperty({ example: '/api/products/X' }) path!: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } }) details?: unknown[];
}
