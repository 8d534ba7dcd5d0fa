import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { ensureAdmin } from './admin-accounts';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/** Creates (or promotes) the first admin from ADMIN_EMAIL / ADMIN_PASSWORD; never from a request body. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.adminEmail;
    const password = this.config.adminPassword;
    if (!email || !password) return;
    const outcome = await ensureAdmin(this.users, this.hasher, email, password);
    this.logger.log(`admin account ${outcome} for ${email}`);
  }
}
