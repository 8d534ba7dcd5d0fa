import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class ModelCommandDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One worker (GET /health/workers); absent: every worker' })
  @IsOptional()
  @IsUUID()
  workerId?: string;
}
