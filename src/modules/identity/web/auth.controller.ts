import { Body, Controller, Get, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorResponse } from '../../../platform/http/error.response';
import { HttpSession, Session, SessionPrincipals } from '../../../session';
import { LoginThrottle } from '../application/login-throttle';
import { UsersService } from '../application/users.service';
import { LoginDto, UsernameResponse } from './auth.dto';

const BAD_CREDENTIALS = 'Invalid username or password';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly principals: SessionPrincipals,
  ) {}

  /** Rotates the session id (no fixation) and keeps the cart and everything else in it. */
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: UsernameResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: BAD_CREDENTIALS })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many attempts' })
  async login(@Session() session: HttpSession, @Body() body: LoginDto, @Req() req: Request) {
    await this.throttle.check(body.username, req.ip ?? 'unknown');
    const username = await this.users.authenticate(body.username, body.password);
    if (!username) {
      await this.throttle.failed(body.username);
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    session.principal = username;
    if (body.rememberMe) session.persistent = true;
    await session.rotate();
    return { username };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session is deleted and the cookie cleared' })
  async logout(@Session() session: HttpSession): Promise<void> {
    await session.invalidate();
  }

  /** Ends every session of the caller's user, on every instance. */
  @Post('logout-all')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  async logoutAll(@Session() session: HttpSession): Promise<void> {
    const username = this.requireUser(session);
    for (const id of await this.principals.find(username)) {
      if (id !== session.id) await this.principals.end(id);
    }
    await session.invalidate();
  }

  @Get('me')
  @ApiOkResponse({ type: UsernameResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  me(@Session() session: HttpSession): UsernameResponse {
    return { username: this.requireUser(session) };
  }

  private requireUser(session: HttpSession): string {
    const username = session.principal;
    if (!username) throw new UnauthorizedException('Not logged in');
    return username;
  }
}
