import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BillingSummary, LedgerEntryView as LedgerEntry, LedgerKind, PlanView as Plan } from '@atelier/billing';

export class PlanView implements Plan {
  @ApiProperty({ example: 'free', description: 'free, standard or premium' }) id!: string;
  @ApiProperty({ type: 'integer', description: 'Job submissions (POST /v1/jobs) a minute', example: 10 }) ratePerMinute!: number;
  @ApiProperty({ type: 'integer', example: 2 }) maxConcurrentJobs!: number;
  @ApiProperty({ type: 'integer', description: 'width × height of one generated image', example: 262144 }) maxPixels!: number;
  @ApiProperty({ type: 'integer', example: 1 }) maxBatch!: number;
  @ApiProperty({ type: 'integer', enum: [1, 2, 3], description: 'Queue priority; higher starts first' }) priority!: number;
  @ApiProperty({ type: 'integer', example: 100 }) monthlyCredits!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Requests a minute per user on all routes together; null: the server default (API_REQUESTS_PER_MINUTE)' })
  requestsPerMinute!: number | null;
  @ApiProperty({ type: 'integer', description: 'Bytes of images (uploads and outputs) a user may keep', example: 1073741824 }) storageQuotaBytes!: number;
}

export class StorageUsageView {
  @ApiProperty({ type: 'integer', description: 'Bytes of the user’s images; deleted ones count until they are purged' }) usedBytes!: number;
  @ApiProperty({ type: 'integer', description: 'The plan’s storageQuotaBytes' }) quotaBytes!: number;
}

export class BillingView implements BillingSummary {
  @ApiProperty({ example: 'free' }) plan!: string;
  @ApiProperty({ type: 'integer', description: 'Includes reserved; what can be spent is balance − reserved' }) balance!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: PlanView }) limits!: PlanView;
  @ApiProperty({ type: StorageUsageView }) storage!: StorageUsageView;
}

export class LedgerEntryView implements LedgerEntry {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['grant', 'reserve', 'capture', 'release', 'refund'] }) kind!: LedgerKind;
  @ApiProperty({ type: 'integer' }) amount!: number;
  @ApiPropertyOptional({ format: 'uuid' }) jobId?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LedgerPage {
  @ApiProperty({ type: [LedgerEntryView] }) items!: LedgerEntryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as ?cursor= for the next page' }) nextCursor!: string | null;
}
