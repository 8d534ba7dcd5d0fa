import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyView as ApiKey } from '@atelier/auth';

export class ApiKeyView implements ApiKey {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ci pipeline' }) name!: string;
  @ApiProperty({ description: 'The first characters of the key, to recognise it', example: 'atl_3f9a' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself: shown only in this answer, stored hashed', example: 'atl_3f9a…' }) key!: string;
}
