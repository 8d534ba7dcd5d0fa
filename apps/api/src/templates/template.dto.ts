import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../http/page.query';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class TemplateDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'portrait' })
  @IsString() @MinLength(1) @MaxLength(200) name!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000, description: 'Uses {subject} and {name} placeholders', example: 'a portrait of {subject}, {style}' })
  @IsString() @MinLength(1) @MaxLength(4000) body!: string;

  @ApiPropertyOptional({ maxLength: 4000, example: 'blurry, text' })
  @IsOptional() @IsString() @MaxLength(4000) negativeBody?: string;

  @ApiPropertyOptional({ ...stringMap, description: 'Placeholder values used when a render gives none', example: { style: 'watercolor' } })
  @IsOptional() @IsObject() defaults?: Record<string, string>;

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['portrait'] })
  @IsOptional() @IsString({ each: true }) @MaxLength(50, { each: true }) @ArrayMaxSize(20) tags?: string[];

  @ApiProperty({ enum: ['private', 'public'] })
  @IsIn(['private', 'public']) visibility!: 'private' | 'public';
}

export class TemplateSearchQuery extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Full-text search on name, body and tags' })
  @IsOptional() @IsString() @MaxLength(200) q?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional() @IsString() @MaxLength(50) tag?: string;
}

export class RenderDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID() templateId!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, description: 'Default: the latest version' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) version?: number;

  @ApiProperty({ maxLength: 1000, example: 'a red fox' })
  @IsString() @MaxLength(1000) subject!: string;

  @ApiPropertyOptional({ ...stringMap, example: { style: 'ink' } })
  @IsOptional() @IsObject() variables?: Record<string, string>;
}

export class TemplateSplitDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, nullable: true, example: { '2': 50, '3': 50 }, description: 'Weights by version number; null clears the split' })
  @ValidateIf((_, value) => value !== null)
  @IsObject()
  split!: Record<string, number> | null;
}

export class RatingDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  @IsInt() @Min(1) @Max(5) score!: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) feedback?: string;
}
