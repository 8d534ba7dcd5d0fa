import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type UserRole = 'user' | 'admin';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique. */
  @Column({ type: 'text' })
  email!: string;

  /** Null for an account made by an OpenID Connect sign-in: it has no password until one is set. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'text', default: 'user' })
  role!: UserRole;

  @Column({ type: 'text', default: 'free' })
  plan!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The public shape of a user (API.md `user` objects). */
export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  plan: string;
  createdAt: string;
}

export const toUserView = (u: UserEntity): UserView => ({
  id: u.id,
  email: u.email,
  role: u.role,
  plan: u.plan,
  createdAt: u.createdAt.toISOString(),
});
