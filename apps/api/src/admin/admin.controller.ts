import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { Authenticated, UserAdministration, type UserView } from '@atelier/auth';
import { CreditLedger, PlansService, type Balance, type PlanView } from '@atelier/billing';
import { DomainError } from '@atelier/platform';
import { ChangePlanDto, FindUsersQuery, GrantCreditsDto, PlanLimitsDto } from './admin.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'USER_NOT_FOUND', 'User not found') });

@Controller('v1/admin')
@Authenticated({ admin: true })
export class AdminController {
  constructor(
    private readonly users: UserAdministration,
    private readonly plans: PlansService,
    private readonly ledger: CreditLedger,
  ) {}

  @Get('users')
  findUsers(@Query() query: FindUsersQuery): Promise<UserView[]> {
    return this.users.findByEmail(query.email);
  }

  @Post('users/:id/credits')
  async grantCredits(@Param('id', uuid) userId: string, @Body() body: GrantCreditsDto): Promise<Balance> {
    await this.users.get(userId);
    await this.ledger.grant(userId, body.amount, body.reason);
    return this.ledger.balanceOf(userId);
  }

  @Put('users/:id/plan')
  async changePlan(@Param('id', uuid) userId: string, @Body() body: ChangePlanDto): Promise<UserView> {
    await this.plans.get(body.plan);
    return this.users.setPlan(userId, body.plan);
  }

  @Put('plans/:id')
  updatePlan(@Param('id') id: string, @Body() body: PlanLimitsDto): Promise<PlanView> {
    return this.plans.update(id, body);
  }
}
