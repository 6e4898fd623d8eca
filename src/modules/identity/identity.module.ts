import { Module } from '@nestjs/common';
import { DemoUsersSeeder } from './application/demo-users';
import { LoginThrottle } from './application/login-throttle';
import { UsersService } from './application/users.service';
import { IDENTITY_SETTINGS, identitySettings } from './identity.settings';
import { AuthController } from './web/auth.controller';
import { SessionsController } from './web/sessions.controller';

@Module({
  controllers: [AuthController, SessionsController],
  providers: [
    { provide: IDENTITY_SETTINGS, useFactory: () => identitySettings(process.env) },
    UsersService,
    LoginThrottle,
    DemoUsersSeeder,
  ],
})
export class IdentityModule {}
