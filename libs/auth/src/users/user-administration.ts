import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { toUserView, UserEntity, type UserView } from './user.entity';
import { authErrors } from '../auth-errors';

/** What admins do to accounts: find them, change their plan (billing checks the plan exists first). */
@Injectable()
export class UserAdministration {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async findByEmail(email: string): Promise<UserView[]> {
    const user = await this.users.findOneBy({ email: email.toLowerCase() });
    return user ? [toUserView(user)] : [];
  }

  async get(userId: string): Promise<UserView> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw authErrors('USER_NOT_FOUND', 'User not found');
    return toUserView(user);
  }

  async setPlan(userId: string, plan: string): Promise<UserView> {
    const result = await this.users.update({ id: userId }, { plan });
    if (!result.affected) throw authErrors('USER_NOT_FOUND', 'User not found');
    return this.get(userId);
  }
}
