import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ModelStatus } from '@atelier/platform';

export class ModelView implements ModelStatus {
  @ApiProperty({ example: 'pattern-cppn' }) id!: string;
  @ApiProperty({ example: 'cppn' }) pipeline!: string;
  @ApiPropertyOptional({ type: [String], example: ['txt2img'] }) jobTypes?: string[];
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['hot', 'warm', 'cold'] }) state!: 'hot' | 'warm' | 'cold';
  @ApiProperty({ type: String, nullable: true, example: 'cpu', description: 'cuda or cpu; null while no worker has it loaded' }) provider!: string | null;
  @ApiProperty({ type: 'integer' }) sizeBytes!: number;
  @ApiPropertyOptional({ type: 'integer' }) loadMs?: number;
  @ApiPropertyOptional({ format: 'date-time' }) lastUsed?: string;
  @ApiProperty({ description: 'false when no live worker reports the model, or after it failed to load (see error)' }) healthy!: boolean;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ type: 'integer', description: 'Live workers reporting the model' }) workers!: number;
}
