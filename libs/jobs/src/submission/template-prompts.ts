/** What a templated job asks for: `templateId + subject` (and variables, a version) instead of `prompt`. */
export interface TemplatePromptRequest {
  templateId: string;
  subject: string;
  variables?: Record<string, string>;
  version?: number;
}

export interface TemplatePrompt {
  prompt: string;
  negativePrompt: string;
  templateId: string;
  version: number;
}

/**
 * The port through which job submission renders templates. Templates are an API module; the API
 * provides this (its PromptRenderer), so libs/jobs never imports an app.
 */
export interface TemplatePrompts {
  render(userId: string, request: TemplatePromptRequest): Promise<TemplatePrompt>;
}

export const TEMPLATE_PROMPTS = Symbol('TEMPLATE_PROMPTS');
