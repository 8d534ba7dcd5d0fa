import { Injectable } from '@nestjs/common';
import { PromptRenderer } from '../prompts/prompt-renderer';

export interface ResolvedJobBody {
  body: unknown;
  template?: { id: string; version: number };
}

/**
 * `POST /v1/jobs` with `templateId + subject` in place of `prompt`: the template is
 * rendered exactly as `POST /v1/prompts/render` does, and the job records which version.
 */
@Injectable()
export class TemplatedJobBody {
  constructor(private readonly renderer: PromptRenderer) {}

  async resolve(userId: string, body: unknown): Promise<ResolvedJobBody> {
    const input = (body as { input?: Record<string, unknown> } | null)?.input;
    if (!input || typeof input !== 'object' || typeof input.templateId !== 'string' || input.prompt !== undefined) return { body };
    const { templateId, subject, variables, templateVersion, ...rest } = input as Record<string, unknown>;
    const rendered = await this.renderer.render(userId, {
      templateId: templateId as string,
      subject: typeof subject === 'string' ? subject : '',
      variables: variables && typeof variables === 'object' ? (variables as Record<string, string>) : undefined,
      version: typeof templateVersion === 'number' ? templateVersion : undefined,
    });
    const negative = rendered.negativePrompt ? { negativePrompt: rendered.negativePrompt } : {};
    return {
      body: { ...(body as object), input: { ...negative, ...rest, prompt: rendered.prompt } },
      template: { id: rendered.templateId, version: rendered.version },
    };
  }
}
