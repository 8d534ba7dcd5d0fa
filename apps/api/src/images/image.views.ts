import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ImageFormat, ImageQuality, ImageSourceName, ImageView as Image } from '@atelier/storage';
import type { RatingSummary } from '../ratings/ratings.service';

export class ImageQualityView implements ImageQuality {
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Overall no-reference estimate' }) score!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Variance of the Laplacian, less what noise explains' }) sharpness!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: '1: mean brightness mid-range, nothing clipped' }) exposure!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Estimated noise level (1 is noisiest)' }) noise!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Hasler–Süsstrunk colourfulness, scaled' }) colorfulness!: number;
}

export class ImageView implements Image {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['upload', 'generated'], description: 'upload: sent by the user; generated: a job output' }) source!: ImageSourceName;
  @ApiProperty({ type: 'integer' }) width!: number;
  @ApiProperty({ type: 'integer' }) height!: number;
  @ApiProperty({ enum: ['png', 'jpeg', 'webp'] }) format!: ImageFormat;
  @ApiProperty({ type: 'integer', description: 'Size in bytes' }) bytes!: number;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }) sha256!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The job that made it, if any' }) jobId?: string;
  @ApiPropertyOptional({ type: ImageQualityView, description: 'Generated images: the worker\'s quality estimate' }) quality?: ImageQualityView;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RatingSummaryView implements RatingSummary {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5 }) average!: number | null;
}

export class ImageListItemView extends ImageView {
  @ApiProperty({ description: 'Signed content URL, usable without credentials until it expires' }) url!: string;
}

export class ImagePage {
  @ApiProperty({ type: [ImageListItemView] }) items!: ImageListItemView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as ?cursor= for the next page' }) nextCursor!: string | null;
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
