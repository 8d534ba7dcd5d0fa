import { Injectable } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AccessTokens } from '../tokens/access-tokens';
import type { Principal } from '../tokens/principal';

/** One answer to "who is this bearer?": `atl_` API keys and access JWTs alike (REST and sockets). */
@Injectable()
export class CredentialVerifier {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly accessTokens: AccessTokens,
  ) {}

  async verify(bearer: string): Promise<Principal> {
    return bearer.startsWith('atl_') ? this.apiKeys.authenticate(bearer) : this.accessTokens.verify(bearer);
  }
}
