import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { authErrors, ApiKeysService, Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { ApiErrors } from '../openapi/api-errors';
import { ApiKeyView, CreatedApiKeyView } from './api-key.views';
import { CreateApiKeyDto } from './create-api-key.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => authErrors('API_KEY_NOT_FOUND', 'API key not found') });

/** Managing keys needs a signed-in session: a leaked key cannot mint or list keys. */
@Controller('v1/api-keys')
@Authenticated({ session: true })
@ApiErrors(503)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The key is shown once, in this answer' })
  @ApiErrors(400, [422, 'INVALID_SCOPES'])
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.keys.create(principal.userId, body.name, body.scopes);
  }

  @Get()
  @ApiOkResponse({ type: [ApiKeyView] })
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.keys.list(principal.userId);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors([404, 'API_KEY_NOT_FOUND'])
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.keys.revoke(principal.userId, id);
  }
}
