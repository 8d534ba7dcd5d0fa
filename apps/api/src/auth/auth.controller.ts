import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { AuthService, CurrentPrincipal, Public, type Principal } from '@atelier/auth';
import { BillingAccounts } from '@atelier/billing';
import { DeprecatedRoute } from '../http/deprecation/deprecated-route';
import { ApiErrors } from '../openapi/api-errors';
import { CredentialsDto, LoginDto, RefreshTokenDto } from './auth.dto';
import { MeView, SessionView } from './auth.views';

@Controller('v1')
@ApiErrors(503)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly billing: BillingAccounts,
  ) {}

  @Public()
  @Post('auth/register')
  @ApiCreatedResponse({ type: SessionView })
  @ApiErrors(400, [409, 'EMAIL_TAKEN: an account with this email exists'])
  register(@Body() body: CredentialsDto): Promise<SessionView> {
    return this.auth.register(body.email, body.password);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView })
  @ApiErrors(400, [401, 'INVALID_CREDENTIALS'], [429, 'TOO_MANY_LOGIN_ATTEMPTS'])
  login(@Body() body: LoginDto, @Ip() clientAddress: string): Promise<SessionView> {
    return this.auth.login(body.email, body.password, clientAddress);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'A new pair; the refresh token used is spent' })
  @ApiErrors(400, [401, 'INVALID_REFRESH_TOKEN: invalid, expired or already used (reuse revokes the whole token family)'])
  refresh(@Body() body: RefreshTokenDto): Promise<SessionView> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The refresh token is revoked' })
  @ApiErrors(400)
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @ApiOkResponse({ type: MeView })
  async me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    const user = await this.auth.getUser(principal.userId);
    const { balance, reserved } = await this.billing.summary(user.id, user.plan);
    return { id: user.id, email: user.email, role: user.role, plan: user.plan, credits: { balance, reserved } };
  }

  /** The account's first address, kept for older clients while they move to /v1/me. */
  @Get('users/me')
  @DeprecatedRoute({ since: '2026-12-01', sunset: '2027-06-30', successor: '/v1/me' })
  @ApiOkResponse({ type: MeView })
  meAlias(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.me(principal);
  }
}
