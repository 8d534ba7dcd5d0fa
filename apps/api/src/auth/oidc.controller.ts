import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OidcSignIn, Public } from '@atelier/auth';
import { AppConfig } from '@atelier/platform';
import { ApiErrors } from '../openapi/api-errors';
import { OidcInfoView, OidcStartQuery, OidcTicketDto } from './oidc.dto';
import { SessionView } from './auth.views';

const CALLBACK_PATH = '/v1/auth/oidc/callback';

/** Sign-in with an OpenID Connect provider (authorization code + PKCE); see OidcSignIn. */
@Controller('v1/auth/oidc')
@ApiErrors(503)
export class OidcController {
  constructor(
    private readonly signIn: OidcSignIn,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: OidcInfoView })
  info(): OidcInfoView {
    const providerName = this.signIn.providerName;
    return providerName === null ? { enabled: false } : { enabled: true, providerName };
  }

  @Public()
  @Get('start')
  @ApiOperation({ summary: 'Sends the browser to the identity provider' })
  @ApiFoundResponse({ description: 'Location: the provider\'s authorization URL (PKCE S256, state, nonce)' })
  @ApiErrors(400, [404, 'OIDC_NOT_CONFIGURED'], [503, 'OIDC_PROVIDER_UNAVAILABLE: the provider cannot be reached'])
  async start(@Query() query: OidcStartQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const url = await this.signIn.start(this.callbackUrl(request), query.returnTo);
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, url.href);
  }

  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'Where the provider sends the browser back; answers the session, or redirects to `returnTo` with a ticket' })
  @ApiOkResponse({ type: SessionView, description: 'The sign-in started without returnTo: the same session as a password login' })
  @ApiFoundResponse({ description: 'The sign-in started with returnTo: Location `<returnTo>#oidc-ticket=…` or `#oidc-error=CODE`' })
  @ApiErrors(
    [401, 'OIDC_STATE_INVALID (unknown, expired or already used state), OIDC_CODE_REJECTED (the code is invalid or replayed), OIDC_PROVIDER_DENIED'],
    [403, 'OIDC_EMAIL_UNVERIFIED: the provider has not verified the email'],
    [404, 'OIDC_NOT_CONFIGURED'],
    [503, 'OIDC_PROVIDER_UNAVAILABLE: the provider cannot be reached'],
  )
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const redirectUri = this.callbackUrl(request);
    const outcome = await this.signIn.complete(new URL(request.originalUrl, redirectUri));
    response.setHeader('Cache-Control', 'no-store');
    if (outcome.kind === 'redirect') response.redirect(302, outcome.location);
    else response.status(200).json(outcome.session);
  }

  @Public()
  @Post('ticket')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView })
  @ApiErrors(400, [401, 'OIDC_TICKET_INVALID: unknown, expired (after a minute) or already used'])
  redeem(@Body() body: OidcTicketDto): Promise<SessionView> {
    return this.signIn.redeem(body.ticket);
  }

  /** The redirect URI the provider must know: PUBLIC_BASE_URL's, or this request's origin. */
  private callbackUrl(request: Request): string {
    const base = this.config.publicBaseUrl || `${request.protocol}://${request.get('host')}`;
    return `${base}${CALLBACK_PATH}`;
  }
}
