import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';
import { authErrors } from '../auth-errors';

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const invalid = () => authErrors('INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or already used');

/**
 * Rotating refresh tokens: each use marks the token used and issues the next one in the
 * same family. Presenting a used token again means it was stolen: the family is revoked.
 */
@Injectable()
export class RefreshTokens {
  constructor(@InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>) {}

  async issue(userId: string, familyId: string = randomUUID()): Promise<string> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    await this.tokens.insert({
      userId,
      familyId,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + REFRESH_TTL_MS),
    });
    return token;
  }

  /** Consumes a token and returns its owner and a fresh token of the same family. */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string }> {
    const row = await this.tokens.findOneBy({ tokenHash: sha256(token) });
    if (!row || row.revokedAt || row.expiresAt.getTime() < Date.now()) throw invalid();
    // Conditional update: of two concurrent uses, only one wins; the other is a reuse.
    const claimed = await this.tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: new Date() });
    if (!claimed.affected) {
      await this.revokeFamily(row.familyId);
      throw invalid();
    }
    return { userId: row.userId, refreshToken: await this.issue(row.userId, row.familyId) };
  }

  /** Logout: revoke the family the token belongs to; unknown tokens are ignored. */
  async revoke(token: string): Promise<void> {
    const row = await this.tokens.findOneBy({ tokenHash: sha256(token) });
    if (row) await this.revokeFamily(row.familyId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
