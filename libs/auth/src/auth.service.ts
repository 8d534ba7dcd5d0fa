import { Injectable } from '@nestjs/common';
import { AccessTokens } from './tokens/access-tokens';
import { RefreshTokens } from './tokens/refresh-tokens';
import { PasswordHasher } from './users/password-hasher';
import { toUserView, type UserEntity, type UserView } from './users/user.entity';
import { LoginThrottle } from './users/login-throttle';
import { UsersRepository } from './users/users.repository';
import { authErrors } from './auth-errors';

export interface Session {
  user: UserView;
  accessToken: string;
  refreshToken: string;
}

const badCredentials = () => authErrors('INVALID_CREDENTIALS', 'Email or password is wrong');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly throttle: LoginThrottle,
  ) {}

  async register(email: string, password: string): Promise<Session> {
    const user = await this.users.create(email, await this.hasher.hash(password));
    if (!user) throw authErrors('EMAIL_TAKEN', 'An account with this email already exists');
    return this.openSession(user);
  }

  async login(email: string, password: string, clientAddress = 'unknown'): Promise<Session> {
    await this.throttle.assertAllowed(email, clientAddress);
    const user = await this.users.findByEmail(email);
    // An account made by single sign-on has no password: no password opens it.
    if (!user?.passwordHash || !(await this.hasher.verify(user.passwordHash, password))) {
      await this.throttle.recordFailure(email, clientAddress);
      throw badCredentials();
    }
    await this.throttle.recordSuccess(email, clientAddress);
    return this.openSession(user);
  }

  async refresh(refreshToken: string): Promise<Session> {
    const { userId, refreshToken: next } = await this.refreshTokens.rotate(refreshToken);
    const user = await this.users.findById(userId);
    if (!user) throw badCredentials();
    return { user: toUserView(user), accessToken: this.accessTokens.issue(user), refreshToken: next };
  }

  logout(refreshToken: string): Promise<void> {
    return this.refreshTokens.revoke(refreshToken);
  }

  async getUser(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw authErrors('USER_GONE', 'The account no longer exists');
    return toUserView(user);
  }

  /** A new session (access and refresh token) for a user whose identity was proven elsewhere (OpenID Connect). */
  async openSession(user: UserEntity): Promise<Session> {
    return {
      user: toUserView(user),
      accessToken: this.accessTokens.issue(user),
      refreshToken: await this.refreshTokens.issue(user.id),
    };
  }
}
