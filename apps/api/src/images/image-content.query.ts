import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ImageFormat } from '@atelier/storage';

export class ImageContentQuery {
  @ApiPropertyOptional({ enum: ['png', 'webp', 'jpeg'], description: 'Default: the stored format' })
  @IsOptional()
  @IsIn(['png', 'webp', 'jpeg'])
  format?: ImageFormat;

  @ApiPropertyOptional({ type: 'integer', minimum: 16, maximum: 4096, description: 'Thumbnail width (made on first request, then cached)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(16)
  @Max(4096)
  width?: number;

  /** Signed URL: unix expiry and HMAC signature (see SignedImageUrls). */
  @ApiPropertyOptional({ maxLength: 20, description: 'Signed URL: unix expiry (comes with the url of image and job views)' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  expires?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Signed URL: signature' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sig?: string;
}
