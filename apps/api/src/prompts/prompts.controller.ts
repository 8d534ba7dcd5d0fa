import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { RenderDto } from '../templates/template.dto';
import { PromptRenderer, type RenderedPrompt } from './prompt-renderer';

@Controller('v1/prompts')
export class PromptsController {
  constructor(private readonly renderer: PromptRenderer) {}

  @Post('render')
  @HttpCode(200)
  @Authenticated({ scope: 'templates:read' })
  render(@CurrentPrincipal() p: Principal, @Body() body: RenderDto): Promise<RenderedPrompt> {
    return this.renderer.render(p.userId, body);
  }
}
