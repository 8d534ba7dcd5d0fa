import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class GrantCreditsDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000_000, example: 500 })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amount!: number;

  @ApiProperty({ minLength: 1, maxLength: 500, example: 'load test' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ChangePlanDto {
  @ApiProperty({ maxLength: 50, example: 'premium', description: 'A plan id of GET /v1/plans' })
  @IsString()
  @MaxLength(50)
  plan!: string;
}

export class FindUsersQuery {
  @ApiProperty({ maxLength: 254, description: 'Exact email' })
  @IsString()
  @MaxLength(254)
  email!: string;
}

/** Any subset of a plan's limits. */
export class PlanLimitsDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @IsInt() @Min(1) ratePerMinute?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @IsInt() @Min(1) maxConcurrentJobs?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @IsInt() @Min(1) maxPixels?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1 }) @IsOptional() @IsInt() @Min(1) maxBatch?: number;
  @ApiPropertyOptional({ type: 'integer', enum: [1, 2, 3] }) @IsOptional() @IsInt() @Min(1) @IsIn([1, 2, 3]) priority?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) @IsOptional() @IsInt() @Min(0) monthlyCredits?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, nullable: true, description: 'null: follow API_REQUESTS_PER_MINUTE' })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  requestsPerMinute?: number | null;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Bytes' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  storageQuotaBytes?: number;
}
