import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ModelStatus, UpstreamHostStatus } from '@atelier/platform';

export class UpstreamHostView implements UpstreamHostStatus {
  @ApiProperty({ example: 'http://gpu-1.internal:8188' }) url!: string;
  @ApiProperty({ description: 'false while a worker has it ejected (or while no worker reports the model)' }) healthy!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the latest ejection ends; null while it takes traffic' }) ejectedUntil!: string | null;
  @ApiProperty({ type: 'integer', description: 'Tries under way against it, summed over the workers' }) inFlight!: number;
}

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
  @ApiPropertyOptional({ enum: ['comfyui-remote', 'openai-images'], description: 'Remote models only: the engine their jobs go to' }) engine?: string;
  @ApiPropertyOptional({ type: [UpstreamHostView], description: 'Remote models only: each upstream host and its state' }) hosts?: UpstreamHostView[];
}
