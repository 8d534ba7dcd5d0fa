import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { Principal } from '../tokens/principal';
import { UserEntity } from '../users/user.entity';
import { API_KEY_SCOPES, ApiKeyEntity, toApiKeyView, type ApiKeyView } from './api-key.entity';
import { authErrors } from '../auth-errors';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** last_used_at is written at most this often per key: a key used 100 times a second is not 100 writes. */
const LAST_USED_RESOLUTION_MS = 60_000;
const invalidKey = () => authErrors('UNAUTHENTICATED', 'A valid access token or API key is required');

/** `atl_` keys: shown once, stored as a hash, scoped, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  /** Without scopes (undefined or null) a key gets every scope. */
  async create(userId: string, name: string, requested?: string[] | null): Promise<ApiKeyView & { key: string }> {
    const scopes = requested ?? [...API_KEY_SCOPES];
    const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
    if (unknown.length || !scopes.length) {
      throw authErrors('INVALID_SCOPES', `Scopes must be some of ${API_KEY_SCOPES.join(', ')}`, { unknown });
    }
    const key = `atl_${randomBytes(24).toString('base64url')}`;
    const row = await this.keys.save(this.keys.create({ userId, name, prefix: key.slice(0, 12), keyHash: sha256(key), scopes: [...new Set(scopes)] }));
    return { ...toApiKeyView(row), key };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } })).map(toApiKeyView);
  }

  async revoke(userId: string, id: string): Promise<void> {
    const result = await this.keys.update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw authErrors('API_KEY_NOT_FOUND', 'API key not found');
  }

  /** The principal an `atl_` key stands for; 401 for unknown or revoked keys. */
  async authenticate(key: string): Promise<Principal> {
    const row = await this.keys.findOneBy({ keyHash: sha256(key), revokedAt: IsNull() });
    if (!row) throw invalidKey();
    const user = await this.users.findOneBy({ id: row.userId });
    if (!user) throw invalidKey();
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update({ id: row.id }, { lastUsedAt: new Date() });
    }
    return { userId: row.userId, role: user.role, scopes: row.scopes };
  }
}
