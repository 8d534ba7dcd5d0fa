import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@atelier/auth';
import { WebhookSecrets } from '@atelier/jobs';

@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly secrets: WebhookSecrets) {}

  /** The key receivers use to verify `webhook-signature` (Standard Webhooks, HMAC-SHA256). */
  @Get('secret')
  async secret(@CurrentPrincipal() principal: Principal): Promise<{ secret: string }> {
    return { secret: await this.secrets.secretOf(principal.userId) };
  }
}
