import { ApiProperty } from '@nestjs/swagger';
import type { RenderedPrompt } from '../prompts/prompt-renderer';
import type { VersionStats } from './template-stats';
import type { TemplateView as Template, Visibility } from './template.types';

export class TemplateView implements Template {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ enum: ['private', 'public'] }) visibility!: Visibility;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version shown; versions are immutable' }) version!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) latestVersion!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'a portrait of {subject}, {style}' }) body!: string;
  @ApiProperty({ type: String, nullable: true }) negativeBody!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { style: 'watercolor' } }) defaults!: Record<string, string>;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    nullable: true,
    example: { '2': 50, '3': 50 },
    description: 'Weights by version: renders and jobs without a version are assigned one by a stable hash of the user; null: the latest version',
  })
  split!: Record<string, number> | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TemplatePage {
  @ApiProperty({ type: [TemplateView] }) items!: TemplateView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as ?cursor= for the next page' }) nextCursor!: string | null;
}

export class VersionStatsView implements VersionStats {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer' }) jobs!: number;
  @ApiProperty({ type: 'integer' }) ratings!: number;
  @ApiProperty({ type: Number, nullable: true }) averageScore!: number | null;
  @ApiProperty({ type: 'integer', description: 'Generated images with an automatic quality estimate' }) qualityImages!: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100, description: 'Their mean quality score (no-reference, 0..100)' })
  averageQuality!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Sample standard deviation of the scores; null under two ratings' }) scoreStdDev!: number | null;
}

export class SignificanceView {
  @ApiProperty({ type: [Number], description: 'The two best-rated versions' }) compared!: number[];
  @ApiProperty() difference!: number;
  @ApiProperty({ type: 'integer', nullable: true }) ratingsNeededPerVersion!: number | null;
  @ApiProperty() enough!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: "Two-sided p-value of the difference (Welch's test); null while a version has under two ratings" }) pValue!: number | null;
}

export class TemplateStatsView {
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, nullable: true, description: 'The traffic split in force' }) split!: Record<string, number> | null;
  @ApiProperty({ type: [VersionStatsView] }) versions!: VersionStatsView[];
  @ApiProperty({ type: SignificanceView, nullable: true }) significance!: SignificanceView | null;
}

export class RenderedPromptView implements RenderedPrompt {
  @ApiProperty() prompt!: string;
  @ApiProperty() negativePrompt!: string;
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [String], description: 'e.g. a prompt longer than the text encoder reads' }) warnings!: string[];
}
