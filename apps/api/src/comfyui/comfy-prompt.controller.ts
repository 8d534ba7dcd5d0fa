import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { queueItem, type QueueItem } from './comfy-history';
import { ComfyPromptRefused } from './comfy-prompt-errors';
import { ComfyPromptQueue, type QueuedPrompt } from './comfy-prompt-queue';
import { ComfyPromptsRepository } from './comfy-prompts.repository';

const stringList = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);

/** ComfyUI's `/prompt`, `/queue` and `/interrupt`, at the root and under /api; 200 on every POST, as ComfyUI answers. */
@ApiExcludeController()
@Controller(['', 'api'])
export class ComfyPromptController {
  constructor(
    private readonly queue: ComfyPromptQueue,
    private readonly prompts: ComfyPromptsRepository,
  ) {}

  /** 200 `{prompt_id, number, node_errors}`; a refusal is ComfyUI's `{error, node_errors}` body. */
  @Post('prompt')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  async submit(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<QueuedPrompt | ComfyPromptRefused['body']> {
    try {
      return await this.queue.submit(principal.userId, body);
    } catch (error) {
      if (!(error instanceof ComfyPromptRefused)) throw error;
      if (error.retryAfterSeconds) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      response.status(error.status);
      return error.body;
    }
  }

  /** saintno's ping and credential check. */
  @Get('prompt')
  @Authenticated({ scope: 'jobs:read' })
  async status(@CurrentPrincipal() principal: Principal): Promise<{ exec_info: { queue_remaining: number } }> {
    return { exec_info: { queue_remaining: await this.prompts.countActive(principal.userId) } };
  }

  @Get('queue')
  @Authenticated({ scope: 'jobs:read' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ queue_running: QueueItem[]; queue_pending: QueueItem[] }> {
    const active = await this.prompts.active(principal.userId);
    return {
      queue_running: active.filter((p) => p.status === 'running').map(queueItem),
      queue_pending: active.filter((p) => p.status === 'queued').map(queueItem),
    };
  }

  /** `{clear: true}` and/or `{delete: [ids]}`: the caller's waiting prompts only. */
  @Post('queue')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  async manage(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>): Promise<void> {
    if (body?.clear === true) await this.queue.removePending(principal.userId);
    const ids = stringList(body?.delete);
    if (ids?.length) await this.queue.removePending(principal.userId, ids);
  }

  /** Without `prompt_id`: the caller's running prompt(s), never anyone else's. */
  @Post('interrupt')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  async interrupt(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>): Promise<void> {
    const promptId = typeof body?.prompt_id === 'string' ? body.prompt_id : undefined;
    await this.queue.interrupt(principal.userId, promptId);
  }
}
