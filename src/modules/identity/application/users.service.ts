import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from './password-hasher';

@Injectable()
export class UsersService {
  /** Checked when the user does not exist, so both paths cost one scrypt. */
  private readonly dummyHash = hashPassword('no such user');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The canonical username when the credentials are right; null otherwise, whichever was wrong. */
  async authenticate(username: string, password: string): Promise<string | null> {
    const name = username.trim().toLowerCase();
    const [user] = await this.db.query<Array<{ username: string; password_hash: string }>>(
      'SELECT username, password_hash FROM identity.users WHERE username = $1',
      [name],
    );
    const ok = await verifyPassword(password, user?.password_hash ?? (await this.dummyHash));
    return ok && user ? user.username : null;
  }

  /** Creates the user unless the name is taken; returns whether it was created. */
  async create(username: string, password: string, displayName: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO identity.users (username, password_hash, display_name) VALUES ($1, $2, $3)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [username.toLowerCase(), await hashPassword(password), displayName],
    );
    return rows.length === 1;
  }
}
