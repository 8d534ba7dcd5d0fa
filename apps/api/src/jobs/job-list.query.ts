import { IsIn, IsOptional } from 'class-validator';
import { JOB_TYPES, type JobStatus } from '@atelier/jobs';
import { PageQueryDto } from '../http/page.query';

export class JobListQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['queued', 'running', 'succeeded', 'failed', 'canceled'])
  status?: JobStatus;

  @IsOptional()
  @IsIn(JOB_TYPES)
  type?: string;
}
