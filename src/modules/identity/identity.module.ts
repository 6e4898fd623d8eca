import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../../config/env';
import { DemoUsersSeeder } from './application/demo-users';
import { LoginThrottle } from './application/login-throttle';
import { UsersService } from './application/users.service';
import { IDENTITY_SETTINGS, IdentitySettings } from './identity.settings';
import { AuthController } from './web/auth.controller';

@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: IDENTITY_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): IdentitySettings => ({
        demoUsers: config.get('DEMO_USERS', { infer: true }),
        rememberMeTimeoutSeconds: config.get('SESSION_REMEMBER_ME_TIMEOUT', { infer: true }),
        maxAttemptsPerUser: config.get('LOGIN_MAX_ATTEMPTS_PER_USER', { infer: true }),
        maxAttemptsPerAddress: config.get('LOGIN_MAX_ATTEMPTS_PER_ADDRESS', { infer: true }),
        attemptWindowSeconds: config.get('LOGIN_ATTEMPT_WINDOW', { infer: true }),
      }),
    },
    UsersService,
    LoginThrottle,
    DemoUsersSeeder,
  ],
})
export class IdentityModule {}
