import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { AuthService, CurrentPrincipal, Public, type Principal, type Session } from '@atelier/auth';
import { BillingAccounts } from '@atelier/billing';
import { CredentialsDto, LoginDto, RefreshTokenDto } from './auth.dto';

@Controller('v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly billing: BillingAccounts,
  ) {}

  @Public()
  @Post('auth/register')
  register(@Body() body: CredentialsDto): Promise<Session> {
    return this.auth.register(body.email, body.password);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Ip() clientAddress: string): Promise<Session> {
    return this.auth.login(body.email, body.password, clientAddress);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshTokenDto): Promise<Session> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.auth.getUser(principal.userId);
    const { balance, reserved } = await this.billing.summary(user.id, user.plan);
    return { id: user.id, email: user.email, role: user.role, plan: user.plan, credits: { balance, reserved } };
  }
}
