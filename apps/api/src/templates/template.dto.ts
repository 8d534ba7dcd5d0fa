import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../http/page.query';

export class TemplateDto {
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsString() @MinLength(1) @MaxLength(4000) body!: string;
  @IsOptional() @IsString() @MaxLength(4000) negativeBody?: string;
  @IsOptional() @IsObject() defaults?: Record<string, string>;
  @IsOptional() @IsString({ each: true }) @MaxLength(50, { each: true }) @ArrayMaxSize(20) tags?: string[];
  @IsIn(['private', 'public']) visibility!: 'private' | 'public';
}

export class TemplateSearchQuery extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(200) q?: string;
  @IsOptional() @IsString() @MaxLength(50) tag?: string;
}

export class RenderDto {
  @IsUUID() templateId!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) version?: number;
  @IsString() @MaxLength(1000) subject!: string;
  @IsOptional() @IsObject() variables?: Record<string, string>;
}

export class RatingDto {
  @IsInt() @Min(1) @Max(5) score!: number;
  @IsOptional() @IsString() @MaxLength(2000) feedback?: string;
}
