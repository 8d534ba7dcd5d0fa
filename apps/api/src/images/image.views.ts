import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ImageFormat, ImageModeration, ImageView as Image } from '@atelier/storage';
import type { RatingSummary } from '../ratings/ratings.service';

export class ImageModerationView implements ImageModeration {
  @ApiProperty({
    description: 'Classifier scores, summing to 1',
    type: 'object',
    properties: Object.fromEntries(['drawing', 'hentai', 'neutral', 'porn', 'sexy'].map((k) => [k, { type: 'number' }])),
    additionalProperties: false,
  })
  labels!: Record<string, number>;
  @ApiProperty({ description: 'Whether the moderation policy flagged the image' }) flagged!: boolean;
  @ApiProperty({ example: 'nsfw-mobilenet-v2' }) model!: string;
}

export class ImageView implements Image {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'integer' }) width!: number;
  @ApiProperty({ type: 'integer' }) height!: number;
  @ApiProperty({ enum: ['png', 'jpeg', 'webp'] }) format!: ImageFormat;
  @ApiProperty({ type: 'integer', description: 'Size in bytes' }) bytes!: number;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }) sha256!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The job that made it, if any' }) jobId?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: ImageModerationView, description: 'The content check, once the image has had one (a moderate job, or MODERATION=flag|block)' }) moderation?: ImageModerationView;
}

export class RatingSummaryView implements RatingSummary {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5 }) average!: number | null;
}

export class ImageDetailsView extends ImageView {
  @ApiProperty({ description: 'Signed content URL, usable without credentials until it expires' }) url!: string;
  @ApiProperty({ type: RatingSummaryView }) ratings!: RatingSummaryView;
}

export class RatingView {
  @ApiProperty({ format: 'uuid' }) imageId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) score!: number;
  @ApiProperty({ type: String, nullable: true }) feedback!: string | null;
  @ApiProperty({ type: RatingSummaryView }) ratings!: RatingSummaryView;
}
