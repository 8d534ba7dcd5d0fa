import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { ImageSourceName } from '@atelier/storage';
import { PageQueryDto } from '../http/page.query';

export const IMAGE_SOURCES: ImageSourceName[] = ['upload', 'generated'];

/** `GET /v1/images?cursor=&limit=&source=&jobId=`. */
export class ImageListQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: IMAGE_SOURCES, description: 'upload: sent by the user; generated: a job output' })
  @IsOptional()
  @IsIn(IMAGE_SOURCES)
  source?: ImageSourceName;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the outputs of this job (listed even after the job itself is purged)' })
  @IsOptional()
  @IsUUID()
  jobId?: string;
}
