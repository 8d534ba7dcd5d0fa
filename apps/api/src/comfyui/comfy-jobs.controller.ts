import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { jobErrors } from '@atelier/jobs';
import { platformErrors } from '@atelier/platform';
import { ATELIER_STATUSES, jobSummary } from './comfy-history';
import { ComfyPromptQueue } from './comfy-prompt-queue';
import { ComfyPromptsRepository } from './comfy-prompts.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALL_STATUSES = Object.values(ATELIER_STATUSES);
const notFound = () => jobErrors('JOB_NOT_FOUND', 'Job not found');

const intIn = (value: unknown, min: number, max: number, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) ? Math.min(Math.max(n, min), max) : fallback;
};

/**
 * ComfyUI's `/api/jobs`: unlike `/history/{id}`, it tells an unknown prompt (404) from a
 * pending or running one. The caller's prompts only.
 */
@ApiExcludeController()
@Controller('api/jobs')
export class ComfyJobsController {
  constructor(
    private readonly prompts: ComfyPromptsRepository,
    private readonly queue: ComfyPromptQueue,
  ) {}

  /** `status` (comma-separated pending, in_progress, completed, failed, cancelled), `limit`, `offset`; newest first. */
  @Get()
  @Authenticated({ scope: 'jobs:read' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const statuses =
      typeof query.status === 'string' && query.status
        ? query.status.split(',').map((s) => ATELIER_STATUSES[s.trim() as keyof typeof ATELIER_STATUSES]).filter(Boolean)
        : ALL_STATUSES;
    const limit = intIn(query.limit, 1, 200, 50);
    const offset = intIn(query.offset, 0, Number.MAX_SAFE_INTEGER, 0);
    const { items, total } = await this.prompts.page(principal.userId, statuses, limit, offset);
    return { jobs: items.map((p) => jobSummary(p)), pagination: { offset, limit, total, has_more: offset + items.length < total } };
  }

  @Get(':id')
  @Authenticated({ scope: 'jobs:read' })
  async one(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!UUID.test(id)) throw notFound();
    const prompt = await this.prompts.find(principal.userId, id.toLowerCase());
    if (!prompt) throw notFound();
    return jobSummary(prompt, true);
  }

  /** Idempotent: `cancelled` says whether this call stopped it. */
  @Post(':id/cancel')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ cancelled: boolean }> {
    if (!UUID.test(id)) throw notFound();
    const prompt = await this.prompts.find(principal.userId, id.toLowerCase());
    if (!prompt) throw notFound();
    return { cancelled: await this.queue.cancelOne(principal.userId, prompt.promptId) };
  }

  @Post('cancel')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  async cancelMany(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>): Promise<{ cancelled: boolean }> {
    const ids = Array.isArray(body?.job_ids) ? body.job_ids : null;
    if (!ids) throw platformErrors('BAD_REQUEST', 'Send {"job_ids": [<prompt id>, …]}');
    const invalid = ids.filter((id) => typeof id !== 'string' || !UUID.test(id));
    if (invalid.length) throw platformErrors('BAD_REQUEST', 'job_ids must be UUIDs', { invalid_ids: invalid });
    const results = await Promise.all((ids as string[]).map((id) => this.queue.cancelOne(principal.userId, id.toLowerCase())));
    return { cancelled: results.some(Boolean) };
  }
}
