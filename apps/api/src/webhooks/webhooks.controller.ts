import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@atelier/auth';
import { WebhookSecrets } from '@atelier/jobs';
import { ApiErrors } from '../openapi/api-errors';

@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly secrets: WebhookSecrets) {}

  /** The key receivers use to verify `webhook-signature` (Standard Webhooks, HMAC-SHA256). */
  @Get('secret')
  @ApiOkResponse({ schema: { type: 'object', required: ['secret'], properties: { secret: { type: 'string', example: 'whsec_…' } } }, description: 'Made on first call' })
  @ApiErrors(503)
  async secret(@CurrentPrincipal() principal: Principal): Promise<{ secret: string }> {
    return { secret: await this.secrets.secretOf(principal.userId) };
  }
}
