import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserEntity, type UserRole } from './user.entity';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** Returns null when the email is taken (unique index), so callers answer 409 without a race. */
  async create(email: string, passwordHash: string | null, role: UserRole = 'user'): Promise<UserEntity | null> {
    try {
      return await this.users.save(this.users.create({ email: email.toLowerCase(), passwordHash, role }));
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Sets the role, and the password hash when given. */
  async setRole(id: string, role: UserRole, passwordHash?: string): Promise<void> {
    await this.users.update({ id }, passwordHash === undefined ? { role } : { role, passwordHash });
  }
}
