import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { jobErrors, JobsService, SubmitJob } from '@atelier/jobs';
import { ApiErrors } from '../openapi/api-errors';
import { JOB_REQUEST_REF } from './job-request.schema';
import { JobListQueryDto } from './job-list.query';
import { JobPage, JobQuoteView, JobView } from './job.views';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => jobErrors('JOB_NOT_FOUND', 'Job not found') });
const INVALID_JOB: [number, string] = [
  422,
  'INVALID_JOB (details.fields or details.field), UNKNOWN_MODEL, MODEL_WRONG_PIPELINE, IMAGE_NOT_FOUND, PIXELS_OVER_PLAN, BATCH_OVER_PLAN, WEBHOOK_URL_FORBIDDEN, MISSING_VARIABLES, BLOCKED_WORDS, PROMPT_TOO_LONG',
];

@Controller('v1/jobs')
@ApiErrors(503)
export class JobsController {
  constructor(
    private readonly submitJob: SubmitJob,
    private readonly jobs: JobsService,
  ) {}

  /** 202 for a new job; 200 with the same job when an Idempotency-Key replays an earlier request. */
  @Post()
  @Authenticated({ scope: 'jobs:write' })
  @ApiBody({ schema: JOB_REQUEST_REF })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Kept 24 h per user: the same key and body answer the same job (200)' })
  @ApiAcceptedResponse({ type: JobView, description: 'Accepted and queued; credits reserved' })
  @ApiOkResponse({ type: JobView, description: 'An Idempotency-Key replay: the job of the earlier request' })
  @ApiErrors(400, 402, [404, 'TEMPLATE_NOT_FOUND'], [409, 'IDEMPOTENCY_KEY_REUSED with another body'], 413, INVALID_JOB, [429, 'RATE_LIMITED or CONCURRENCY_LIMIT'])
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobView> {
    const { job, replayed } = await this.submitJob.execute(principal.userId, body, idempotencyKey);
    response.status(replayed ? 200 : 202);
    return this.jobs.view(job);
  }

  @Post('quote')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:read' })
  @ApiBody({ schema: JOB_REQUEST_REF })
  @ApiOkResponse({ type: JobQuoteView, description: 'What the job would cost; nothing is created' })
  @ApiErrors(400, [422, 'INVALID_JOB'])
  quote(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<JobQuoteView> {
    return this.submitJob.quote(principal.userId, body);
  }

  @Get()
  @Authenticated({ scope: 'jobs:read' })
  @ApiOkResponse({ type: JobPage, description: 'Own jobs, newest first' })
  @ApiErrors(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: JobListQueryDto): Promise<JobPage> {
    return this.jobs.list(principal.userId, query);
  }

  @Get(':id')
  @Authenticated({ scope: 'jobs:read' })
  @ApiOkResponse({ type: JobView })
  @ApiErrors([404, 'JOB_NOT_FOUND'])
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<JobView> {
    return this.jobs.get(principal.userId, id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @Authenticated({ scope: 'jobs:write' })
  @ApiAcceptedResponse({ type: JobView, description: 'A queued job never starts; a running one stops at its next step' })
  @ApiErrors([404, 'JOB_NOT_FOUND'], [409, 'JOB_FINISHED: the job already finished'])
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<JobView> {
    return this.jobs.cancel(principal.userId, id);
  }
}
