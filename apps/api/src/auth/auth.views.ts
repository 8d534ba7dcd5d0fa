import { ApiProperty } from '@nestjs/swagger';
import type { Session, UserRole, UserView as User } from '@atelier/auth';
import type { Balance } from '@atelier/billing';

/** Response schemas of the auth routes; each implements the service's type so they cannot drift silently. */
export class UserView implements User {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email', example: 'ada@example.com' }) email!: string;
  @ApiProperty({ enum: ['user', 'admin'] }) role!: UserRole;
  @ApiProperty({ description: 'Plan id (see GET /v1/plans)', example: 'free' }) plan!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SessionView implements Session {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ description: 'JWT; send as `Authorization: Bearer …`' }) accessToken!: string;
  @ApiProperty({ description: 'Single use: each refresh rotates it' }) refreshToken!: string;
}

export class BalanceView implements Balance {
  @ApiProperty({ type: 'integer', description: 'Credits held, reserved ones included' }) balance!: number;
  @ApiProperty({ type: 'integer', description: 'Held for accepted jobs that have not finished' }) reserved!: number;
}

export class MeView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty({ enum: ['user', 'admin'] }) role!: UserRole;
  @ApiProperty({ example: 'free' }) plan!: string;
  @ApiProperty({ type: BalanceView }) credits!: BalanceView;
}
