import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ImageFormat } from '@atelier/storage';

export class ImageContentQuery {
  @IsOptional()
  @IsIn(['png', 'webp', 'jpeg'])
  format?: ImageFormat;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(16)
  @Max(4096)
  width?: number;

  /** Signed URL: unix expiry and HMAC signature (see SignedImageUrls). */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  expires?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  sig?: string;
}
