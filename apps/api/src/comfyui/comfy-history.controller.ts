import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { historyEntry, type HistoryEntry } from './comfy-history';
import { ComfyPromptsRepository } from './comfy-prompts.repository';

/** ComfyUI keeps this many; so does a page here without max_items. */
const MAX_HISTORY = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const nonNegativeInt = (value: unknown): number | undefined => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
};

/** ComfyUI's `/history`: the caller's finished prompts, durable (the jobs table), in the order they finished. */
@ApiExcludeController()
@Controller(['', 'api'])
export class ComfyHistoryController {
  constructor(private readonly prompts: ComfyPromptsRepository) {}

  /** `max_items` without `offset`: the last N, as ComfyUI pages. Unknown parameters are ignored. */
  @Get('history')
  @Authenticated({ scope: 'jobs:read' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>): Promise<Record<string, HistoryEntry>> {
    const maxItems = Math.min(nonNegativeInt(query.max_items) ?? MAX_HISTORY, MAX_HISTORY);
    const offset = nonNegativeInt(query.offset);
    const prompts = await this.prompts.history(principal.userId, maxItems, offset);
    return Object.fromEntries(prompts.map((p) => [p.promptId, historyEntry(p)]));
  }

  /** `{}` while the prompt is queued or running, as ComfyUI answers (GET /api/jobs/{id} tells them apart, and "unknown" too). */
  @Get('history/:id')
  @Authenticated({ scope: 'jobs:read' })
  async one(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Record<string, HistoryEntry>> {
    if (!UUID.test(id)) return {};
    const prompt = await this.prompts.find(principal.userId, id.toLowerCase());
    if (!prompt || prompt.status === 'queued' || prompt.status === 'running') return {};
    return { [prompt.promptId]: historyEntry(prompt) };
  }

  /** `{clear}` / `{delete: [ids]}` forget finished prompts here; their jobs stay in GET /v1/jobs. */
  @Post('history')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  async manage(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>): Promise<void> {
    if (body?.clear === true) await this.prompts.forgetFinished(principal.userId);
    const ids = Array.isArray(body?.delete) ? body.delete.filter((id): id is string => typeof id === 'string' && UUID.test(id)) : [];
    if (ids.length) await this.prompts.forgetFinished(principal.userId, ids.map((id) => id.toLowerCase()));
  }
}
