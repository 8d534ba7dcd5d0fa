import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService, Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { DomainError, type Page } from '@atelier/platform';
import { JobSubmission, JobsService, type JobView } from '@atelier/jobs';
import { ModelCatalog } from '../models/model-catalog';
import { JobListQueryDto } from './job-list.query';
import { TemplatedJobBody } from './templated-job-body';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'JOB_NOT_FOUND', 'Job not found') });

@Controller('v1/jobs')
export class JobsController {
  constructor(
    private readonly submission: JobSubmission,
    private readonly jobs: JobsService,
    private readonly auth: AuthService,
    private readonly templated: TemplatedJobBody,
    private readonly models: ModelCatalog,
  ) {}

  /** 202 for a new job; 200 with the same job when an Idempotency-Key replays an earlier request. */
  @Post()
  @Authenticated({ scope: 'jobs:write' })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobView> {
    this.models.checkJobModel(body);
    const { plan } = await this.auth.getUser(principal.userId);
    const resolved = await this.templated.resolve(principal.userId, body);
    const { job, replayed } = await this.submission.submit({ userId: principal.userId, plan }, resolved.body, idempotencyKey, resolved.template);
    response.status(replayed ? 200 : 202);
    return this.jobs.view(job);
  }

  @Post('quote')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:read' })
  quote(@Body() body: unknown): { cost: number } {
    return this.submission.quote(body);
  }

  @Get()
  @Authenticated({ scope: 'jobs:read' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: JobListQueryDto): Promise<Page<JobView>> {
    return this.jobs.list(principal.userId, query);
  }

  @Get(':id')
  @Authenticated({ scope: 'jobs:read' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<JobView> {
    return this.jobs.get(principal.userId, id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @Authenticated({ scope: 'jobs:write' })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<JobView> {
    return this.jobs.cancel(principal.userId, id);
  }
}
