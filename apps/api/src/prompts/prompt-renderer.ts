import { Injectable } from '@nestjs/common';
import { PromptPolicy, type TemplatePrompts } from '@atelier/jobs';
import { templateErrors } from '../templates/template-errors';
import { TemplatesService } from '../templates/templates.service';
import { assignVersion } from '../templates/traffic-split';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface RenderRequest {
  templateId: string;
  version?: number;
  subject: string;
  variables?: Record<string, string>;
}

export interface RenderedPrompt {
  prompt: string;
  negativePrompt: string;
  templateId: string;
  version: number;
  warnings: string[];
}

/**
 * Fills `{subject}` and named placeholders (values from the request, then the template's
 * defaults) in one pass, so braces inside a value are never expanded again. The result passes
 * the same prompt policy as a typed prompt. Job submission renders templated jobs through it.
 */
@Injectable()
export class PromptRenderer implements TemplatePrompts {
  constructor(
    private readonly templates: TemplatesService,
    private readonly policy: PromptPolicy,
  ) {}

  async render(me: string, request: RenderRequest): Promise<RenderedPrompt> {
    // Unpinned: the version the template's split assigns this user, else the latest.
    let version = request.version;
    if (version === undefined) {
      const latest = await this.templates.get(me, request.templateId);
      version = latest.split ? assignVersion(latest.split, latest.id, me) : latest.version;
    }
    const template = await this.templates.get(me, request.templateId, version);
    const values: Record<string, string> = { ...template.defaults, ...request.variables, subject: request.subject };
    const missing = new Set<string>();
    const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? (missing.add(name), `{${name}}`));
    const prompt = fill(template.body);
    const negativePrompt = fill(template.negativeBody ?? '');
    if (missing.size) {
      throw templateErrors('MISSING_VARIABLES', `Give a value for: ${[...missing].join(', ')}`, { missing: [...missing] });
    }
    this.policy.check(prompt, 'prompt');
    if (negativePrompt) this.policy.check(negativePrompt, 'negativePrompt');
    return { prompt, negativePrompt, templateId: template.id, version: template.version, warnings: this.policy.warnings(prompt) };
  }
}
