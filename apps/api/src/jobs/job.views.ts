import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { JOB_TYPES, type JobError, type JobStatus, type JobType, type JobView as Job } from '@atelier/jobs';

export const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];

export class JobProgressView {
  @ApiProperty({ type: 'integer' }) step!: number;
  @ApiProperty({ type: 'integer' }) totalSteps!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) percent!: number;
}

export class JobErrorView implements JobError {
  @ApiProperty({ example: 'CROP_OUT_OF_BOUNDS', description: 'e.g. JOB_FAILED, JOB_STALLED, JOB_TIMEOUT, MODEL_UNAVAILABLE, or the handler\'s code' }) code!: string;
  @ApiProperty() message!: string;
}

export class JobLinksView {
  @ApiProperty({ example: '/v1/jobs/0190…' }) self!: string;
  @ApiProperty({ example: '/events', description: 'Socket.IO namespace of the progress events' }) events!: string;
}

export class ImageOutputView {
  @ApiProperty({ format: 'uuid' }) imageId!: string;
  @ApiProperty({ description: 'Signed content URL, usable without credentials until it expires' }) url!: string;
  @ApiProperty({ type: 'integer' }) width!: number;
  @ApiProperty({ type: 'integer' }) height!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Generated images: the seed that made them' }) seed?: number;
}

export class JsonOutputView {
  @ApiProperty({ enum: ['json'] }) kind!: 'json';
  @ApiProperty({ description: 'ocr: {text, lines}; detect-faces: {faces}; detect-lines: {segments}; generation: {model, provider, seeds, batchedWith, degradations}' })
  data!: unknown;
}

@ApiExtraModels(ImageOutputView, JsonOutputView)
export class JobView implements Job {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: JOB_TYPES }) type!: JobType;
  @ApiProperty({ type: String, nullable: true, example: 'pattern-cppn' }) model!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the server accepted: defaults applied, a template rendered into prompt' })
  input!: Record<string, unknown>;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ type: JobProgressView }) progress!: JobProgressView;
  @ApiPropertyOptional({ type: 'integer', description: 'While queued: jobs of the same lane that start before this one (0 = next)' }) queuePosition?: number;
  @ApiProperty({ type: 'array', items: { oneOf: [{ $ref: getSchemaPath(ImageOutputView) }, { $ref: getSchemaPath(JsonOutputView) }] } })
  outputs!: Array<ImageOutputView | JsonOutputView>;
  @ApiPropertyOptional({ type: JobErrorView }) error?: JobErrorView;
  @ApiProperty({ type: 'integer', description: 'Credits; reserved on accept, captured on success, released otherwise' }) cost!: number;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiPropertyOptional({ type: String, description: 'A succeeded job of a type that takes a model: the model that made the outputs (model, or its fallback)' }) modelUsed?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'Present (true) when the job ran on its model\'s fallback because the model could not load' }) degraded?: boolean;
  @ApiPropertyOptional({ type: Boolean, description: 'Present (true) when the result cache answered the job with the outputs of an earlier identical job of yours' }) cached?: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiProperty({ type: JobLinksView }) links!: JobLinksView;
}

export class JobPage {
  @ApiProperty({ type: [JobView] }) items!: JobView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as ?cursor= for the next page' }) nextCursor!: string | null;
}

export class JobQuoteView {
  @ApiProperty({ type: 'integer', description: 'Credits the job would reserve' }) cost!: number;
}
