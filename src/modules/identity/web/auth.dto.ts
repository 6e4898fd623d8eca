import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Length } from 'class-validator';
import { OptionalNonNull } from '../../../platform/http/validation';

export class LoginDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, 100)
  username!: string;

  @ApiProperty({ example: 'alice-secret-1' })
  @IsString()
  @Length(1, 200)
  password!: string;

  @ApiPropertyOptional({ description: 'Long inactivity timeout and a persistent cookie' })
  @OptionalNonNull()
  @IsBoolean()
  rememberMe?: boolean;
}

export class UsernameResponse {
  @ApiProperty({ example: 'alice' }) username!: string;
}
