import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError } from '@atelier/platform';
import { TemplatesService } from '../templates/templates.service';

/** The text encoder's window: 77 tokens, two of them start and end. */
const CLIP_CONTENT_TOKENS = 75;
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
 * defaults) in one pass, so braces inside a value are never expanded again.
 */
@Injectable()
export class PromptRenderer {
  private readonly blocked: string[];

  constructor(
    private readonly templates: TemplatesService,
    config: AppConfig,
  ) {
    this.blocked = config.promptBlocklist.map((w) => w.toLowerCase());
  }

  async render(me: string, request: RenderRequest): Promise<RenderedPrompt> {
    const template = await this.templates.get(me, request.templateId, request.version);
    const values: Record<string, string> = { ...template.defaults, ...request.variables, subject: request.subject };
    const missing = new Set<string>();
    const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? (missing.add(name), `{${name}}`));
    const prompt = fill(template.body);
    const negativePrompt = fill(template.negativeBody ?? '');
    if (missing.size) {
      throw new DomainError('invalid', 'MISSING_VARIABLES', `Give a value for: ${[...missing].join(', ')}`, { missing: [...missing] });
    }
    const blocked = this.blocked.filter((word) => new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'iu').test(prompt));
    if (blocked.length) throw new DomainError('invalid', 'BLOCKED_WORDS', 'The prompt contains words that are not allowed', { words: blocked });
    const tokens = approximateClipTokens(prompt);
    const warnings = tokens > CLIP_CONTENT_TOKENS ? [`The prompt is about ${tokens} tokens; the text encoder reads the first ${CLIP_CONTENT_TOKENS}`] : [];
    return { prompt, negativePrompt, templateId: template.id, version: template.version, warnings };
  }
}

/** CLIP's BPE splits words and punctuation; long words take more than one token (about 4 letters each). */
export function approximateClipTokens(text: string): number {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).reduce((n, piece) => n + Math.max(1, Math.ceil(piece.length / 6)), 0);
}
