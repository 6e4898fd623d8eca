import {
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../../platform/http/error.response';
import { HttpSession, Session, UserSessions } from '../../../session';
import { SessionResponse } from './sessions.response';

/** "My sessions": the caller's sessions, by handle (a session id is never shown, not even the caller's). */
@ApiTags('auth')
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Not logged in' })
@Controller('api/auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: UserSessions) {}

  @Get()
  @ApiOkResponse({ type: [SessionResponse], description: 'Newest first; `current` is the caller' })
  list(@Session() session: HttpSession): Promise<SessionResponse[]> {
    requireUser(session);
    return this.sessions.list(session);
  }

  /** Ending the caller's own session is a logout (its cookie is cleared). */
  @Delete(':handle')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'That session has ended' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'None of the caller’s sessions' })
  async revoke(@Session() session: HttpSession, @Param('handle') handle: string): Promise<void> {
    requireUser(session);
    if (!(await this.sessions.revoke(session, handle))) {
      throw new NotFoundException('No such session');
    }
  }
}

function requireUser(session: HttpSession): void {
  if (!session.principal) throw new UnauthorizedException('Not logged in');
}
