import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { ApiErrors } from '../openapi/api-errors';
import { RenderDto } from '../templates/template.dto';
import { RenderedPromptView } from '../templates/template.views';
import { PromptRenderer } from './prompt-renderer';

@Controller('v1/prompts')
export class PromptsController {
  constructor(private readonly renderer: PromptRenderer) {}

  @Post('render')
  @HttpCode(200)
  @Authenticated({ scope: 'templates:read' })
  @ApiOkResponse({ type: RenderedPromptView })
  @ApiErrors(400, [404, 'TEMPLATE_NOT_FOUND'], [422, 'MISSING_VARIABLES, BLOCKED_WORDS'], 503)
  render(@CurrentPrincipal() p: Principal, @Body() body: RenderDto): Promise<RenderedPromptView> {
    return this.renderer.render(p.userId, body);
  }
}
