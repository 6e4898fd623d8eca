import { ApiProperty } from '@nestjs/swagger';

export class SessionResponse {
  @ApiProperty({
    description: 'Names the session for DELETE; not its id',
    example: 'q1xX3gT0bTQ9kZ6mR2vVfA',
  })
  handle!: string;

  @ApiProperty({ example: '2026-12-06T20:15:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-12-06T21:02:41.000Z' }) lastSeenAt!: string;
  @ApiProperty({ description: 'At login', example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  userAgent!: string;

  @ApiProperty({ description: 'Client address at login', example: '203.0.113.7' })
  address!: string;

  @ApiProperty({ description: 'The session making this request' }) current!: boolean;
}
