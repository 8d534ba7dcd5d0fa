import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, RedisConnections } from '@atelier/platform';
import { authErrors } from '../auth-errors';

const sha = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * Slows password guessing: failed logins are counted per email and per client address in
 * Redis (shared by all API instances); past the limit, logins answer 429 until the window
 * ends. A success clears the email's count. Redis down: sign-in answers 503 at once.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  private keys(email: string, ip: string): [string, string] {
    const prefix = `${this.redis.prefix}login-failures:`;
    return [`${prefix}email:${sha(email.toLowerCase())}`, `${prefix}ip:${sha(ip)}`];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    const [[, byEmail], [, byIp], [, ttlEmail], [, ttlIp]] = (await this.redis.shared
      .multi().get(emailKey).get(ipKey).ttl(emailKey).ttl(ipKey).exec()
      .catch(() => { throw authErrors('LOGIN_UNAVAILABLE', 'Sign-in is unavailable; try again shortly'); })) as Array<[unknown, unknown]>;
    const overEmail = Number(byEmail ?? 0) >= this.config.loginMaxFailuresPerEmail;
    const overIp = Number(byIp ?? 0) >= this.config.loginMaxFailuresPerIp;
    if (overEmail || overIp) {
      const retryAfterSeconds = Math.max(1, Number(overEmail ? ttlEmail : ttlIp));
      throw authErrors('TOO_MANY_LOGIN_ATTEMPTS', 'Too many failed sign-ins; wait before trying again', { retryAfterSeconds });
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const window = this.config.loginFailureWindowSeconds;
    const [emailKey, ipKey] = this.keys(email, ip);
    await this.redis.shared.multi().incr(emailKey).expire(emailKey, window, 'NX').incr(ipKey).expire(ipKey, window, 'NX').exec().catch(() => undefined);
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.shared.del(this.keys(email, ip)[0]).catch(() => undefined);
  }
}
