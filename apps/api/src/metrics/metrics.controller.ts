import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@atelier/auth';
import { Unthrottled } from '../http/throttling/unthrottled.decorator';
import { ApiMetrics } from './api-metrics';

/** Prometheus text. Public like /health: keep it on the internal network (see docs/OPERATIONS.md). */
@Controller()
@Unthrottled()
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Public()
  @Get('metrics')
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async metricsText(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }
}
