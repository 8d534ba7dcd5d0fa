import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_TYPES, type CostRule, type JobOutputDescription, type JobType, type JobTypeView as JobTypeViewShape } from '@atelier/jobs';

export class JobOutputDescriptionView implements JobOutputDescription {
  @ApiProperty({ enum: ['image', 'json'] }) kind!: 'image' | 'json';
  @ApiProperty() description!: string;
}

export class CostRuleView implements CostRule {
  @ApiProperty({ type: 'integer', description: 'Credits per job (the least it costs when it scales)' }) base!: number;
  @ApiPropertyOptional({ description: 'Credits per megapixel (2^20 pixels) per step per image, for generation' }) perMegapixelStep?: number;
}

export class JobTypeView implements JobTypeViewShape {
  @ApiProperty({ enum: JOB_TYPES }) type!: JobType;
  @ApiProperty({ enum: ['gpu', 'cpu'] }) lane!: 'gpu' | 'cpu';
  @ApiProperty({ enum: ['light', 'heavy'], description: 'light: short GPU work with its own queue and reserved worker slots, never behind generations' }) jobClass!: 'light' | 'heavy';
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "JSON Schema of the job's input (the schema the server validates with)" })
  inputSchema!: Record<string, unknown>;
  @ApiProperty({ type: [JobOutputDescriptionView] }) outputs!: JobOutputDescriptionView[];
  @ApiProperty({ description: 'True when input.imageId (one of your images) is required' }) needsImage!: boolean;
  @ApiProperty({ description: 'True when `model` picks a model of GET /v1/models for this type' }) usesModel!: boolean;
  @ApiProperty({ type: CostRuleView }) cost!: CostRuleView;
}
