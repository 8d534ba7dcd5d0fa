import type { DataSource } from 'typeorm';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { authErrors } from '../auth-errors';

export type AdminOutcome = 'created' | 'promoted';

/** The password rule of registration, so an admin made outside the API is no weaker. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Makes `email` an admin: promotes an existing account (and resets its password when one is
 * given), or creates it, which needs a password. Used by start-up (ADMIN_EMAIL) and the CLI.
 */
export async function ensureAdmin(users: UsersRepository, hasher: PasswordHasher, email: string, password?: string): Promise<AdminOutcome> {
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    throw authErrors('PASSWORD_TOO_SHORT', `password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const existing = await users.findByEmail(email);
  if (existing) {
    await users.setRole(existing.id, 'admin', password === undefined ? undefined : await hasher.hash(password));
    return 'promoted';
  }
  if (password === undefined) {
    throw authErrors('USER_NOT_FOUND', `no account for ${email}: give a password to create it`);
  }
  const created = await users.create(email, await hasher.hash(password), 'admin');
  if (!created) return ensureAdmin(users, hasher, email, password); // registered meanwhile: promote it
  return 'created';
}

/** ensureAdmin over a bare DataSource (the CLI has no Nest container). */
export function ensureAdminWithDataSource(dataSource: DataSource, email: string, password?: string): Promise<AdminOutcome> {
  return ensureAdmin(new UsersRepository(dataSource.getRepository(UserEntity)), new PasswordHasher(), email, password);
}
