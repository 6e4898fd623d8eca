import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IDENTITY_SETTINGS, IdentitySettings } from '../identity.settings';
import { UsersService } from './users.service';

/** Documented in the README; never seeded when DEMO_USERS=false (the production default). */
export const DEMO_USERS = [
  { username: 'alice', password: 'alice-secret-1', displayName: 'Alice Archer' },
  { username: 'bob', password: 'bob-secret-2', displayName: 'Bob Baker' },
  { username: 'carol', password: 'carol-secret-3', displayName: 'Carol Carter' },
];

@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.demoUsers) return;
    let created = 0;
    for (const u of DEMO_USERS) {
      if (await this.users.create(u.username, u.password, u.displayName)) created++;
    }
    new Logger('Identity').log(`Demo users available (${created} created now); see README`);
  }
}
