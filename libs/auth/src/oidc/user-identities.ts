import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { authErrors } from '../auth-errors';

/** What the provider proved about the person signing in. */
export interface ProvenIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
}

/**
 * Finds the account of an OpenID Connect identity. A known identity (issuer + subject) signs in
 * to its account; a new one is linked by its email, which the provider must have verified
 * (otherwise anyone could claim an existing account's address), to the account with that
 * email, or to a new account without a password. Inserts are conflict-safe, so two first
 * sign-ins at once end in one account and one link.
 */
@Injectable()
export class UserIdentities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async accountOf(identity: ProvenIdentity): Promise<UserEntity> {
    return this.dataSource.transaction(async (em) => {
      const linked = (await em.query(
        `UPDATE user_identities SET last_login_at = now() WHERE issuer = $1 AND subject = $2 RETURNING user_id`,
        [identity.issuer, identity.subject],
      )) as [Array<{ user_id: string }>, number];
      const knownUserId = linked[0][0]?.user_id;
      if (knownUserId) return em.findOneByOrFail(UserEntity, { id: knownUserId });

      if (!identity.email || !identity.emailVerified) {
        throw authErrors('OIDC_EMAIL_UNVERIFIED', 'The identity provider did not confirm that this email address is verified; verify it there, then sign in again', {
          email: identity.email ?? null,
        });
      }
      const email = identity.email.toLowerCase();
      await em.query(`INSERT INTO users (email, password_hash) VALUES ($1, NULL) ON CONFLICT ((lower(email))) DO NOTHING`, [email]);
      const user = await em.findOneByOrFail(UserEntity, { email });
      await em.query(
        `INSERT INTO user_identities (user_id, issuer, subject, email) VALUES ($1, $2, $3, $4) ON CONFLICT (issuer, subject) DO NOTHING`,
        [user.id, identity.issuer, identity.subject, email],
      );
      const [{ user_id: userId }] = (await em.query(`SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2`, [
        identity.issuer,
        identity.subject,
      ])) as Array<{ user_id: string }>;
      return userId === user.id ? user : em.findOneByOrFail(UserEntity, { id: userId });
    });
  }
}
