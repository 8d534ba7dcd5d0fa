import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiKeysService, Authenticated, CurrentPrincipal, type ApiKeyView, type Principal } from '@atelier/auth';
import { DomainError } from '@atelier/platform';
import { CreateApiKeyDto } from './create-api-key.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'API_KEY_NOT_FOUND', 'API key not found') });

/** Managing keys needs a signed-in session: a leaked key cannot mint or list keys. */
@Controller('v1/api-keys')
@Authenticated({ session: true })
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    return this.keys.create(principal.userId, body.name, body.scopes);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.keys.list(principal.userId);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.keys.revoke(principal.userId, id);
  }
}
