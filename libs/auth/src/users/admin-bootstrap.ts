import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
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
    const hash = await this.hasher.hash(password);
    const existing = await this.users.findByEmail(email);
    if (existing) {
      await this.users.setRoleAndPassword(existing.id, 'admin', hash);
    } else {
      await this.users.create(email, hash, 'admin');
    }
    this.logger.log(`admin account ensured for ${email}`);
  }
}
