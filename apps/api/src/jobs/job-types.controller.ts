import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Authenticated } from '@atelier/auth';
import { jobTypeViews } from '@atelier/jobs';
import { JobTypeView } from './job-type.views';

/** `GET /v1/job-types`: every job type as its definition states it, for forms, docs and price lists. */
@Controller('v1/job-types')
export class JobTypesController {
  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [JobTypeView], description: 'Each type with the JSON Schema its input is validated with' })
  list(): JobTypeView[] {
    return jobTypeViews();
  }
}
