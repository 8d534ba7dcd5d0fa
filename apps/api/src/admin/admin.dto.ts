import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class GrantCreditsDto {
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amount!: number;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ChangePlanDto {
  @IsString()
  @MaxLength(50)
  plan!: string;
}

export class FindUsersQuery {
  @IsString()
  @MaxLength(254)
  email!: string;
}

/** Any subset of a plan's limits. */
export class PlanLimitsDto {
  @IsOptional() @IsInt() @Min(1) ratePerMinute?: number;
  @IsOptional() @IsInt() @Min(1) maxConcurrentJobs?: number;
  @IsOptional() @IsInt() @Min(1) maxPixels?: number;
  @IsOptional() @IsInt() @Min(1) maxBatch?: number;
  @IsOptional() @IsInt() @Min(1) @IsIn([1, 2, 3]) priority?: number;
  @IsOptional() @IsInt() @Min(0) monthlyCredits?: number;
}
