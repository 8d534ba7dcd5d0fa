import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { Authenticated, authErrors, UserAdministration } from '@atelier/auth';
import { CreditLedger, PlansService } from '@atelier/billing';
import { BalanceView, UserView } from '../auth/auth.views';
import { PlanView } from '../billing/billing.views';
import { ApiErrors } from '../openapi/api-errors';
import { ChangePlanDto, FindUsersQuery, GrantCreditsDto, PlanLimitsDto } from './admin.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => authErrors('USER_NOT_FOUND', 'User not found') });

@Controller('v1/admin')
@Authenticated({ admin: true })
@ApiErrors(400, 503)
export class AdminController {
  constructor(
    private readonly users: UserAdministration,
    private readonly plans: PlansService,
    private readonly ledger: CreditLedger,
  ) {}

  @Get('users')
  @ApiOkResponse({ type: [UserView], description: 'Empty or one user' })
  findUsers(@Query() query: FindUsersQuery): Promise<UserView[]> {
    return this.users.findByEmail(query.email);
  }

  @Post('users/:id/credits')
  @ApiCreatedResponse({ type: BalanceView, description: "The user's balance after the grant" })
  @ApiErrors([404, 'USER_NOT_FOUND'])
  async grantCredits(@Param('id', uuid) userId: string, @Body() body: GrantCreditsDto): Promise<BalanceView> {
    await this.users.get(userId);
    await this.ledger.grant(userId, body.amount, body.reason);
    return this.ledger.balanceOf(userId);
  }

  @Put('users/:id/plan')
  @ApiOkResponse({ type: UserView })
  @ApiErrors([404, 'USER_NOT_FOUND'], [422, 'UNKNOWN_PLAN'])
  async changePlan(@Param('id', uuid) userId: string, @Body() body: ChangePlanDto): Promise<UserView> {
    await this.plans.get(body.plan);
    return this.users.setPlan(userId, body.plan);
  }

  @Put('plans/:id')
  @ApiOkResponse({ type: PlanView, description: 'The plan after the change' })
  @ApiErrors([422, 'UNKNOWN_PLAN or INVALID_PLAN_LIMIT'])
  updatePlan(@Param('id') id: string, @Body() body: PlanLimitsDto): Promise<PlanView> {
    return this.plans.update(id, body);
  }
}
