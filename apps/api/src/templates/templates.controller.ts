import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { ApiErrors } from '../openapi/api-errors';
import { TemplateStats } from './template-stats';
import { TemplateDto, TemplateSearchQuery, TemplateSplitDto } from './template.dto';
import { TemplatePage, TemplateStatsView, TemplateView } from './template.views';
import { TemplatesService } from './templates.service';
import { templateErrors } from './template-errors';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => templateErrors('TEMPLATE_NOT_FOUND', 'Template not found') });
const positive = new ParseIntPipe({ exceptionFactory: () => templateErrors('TEMPLATE_NOT_FOUND', 'Template version not found') });
const NOT_FOUND: [number, string] = [404, 'TEMPLATE_NOT_FOUND (or private to someone else)'];

@Controller('v1/templates')
@ApiErrors(503)
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly stats: TemplateStats,
  ) {}

  @Post()
  @Authenticated({ scope: 'templates:write' })
  @ApiCreatedResponse({ type: TemplateView, description: 'Version 1' })
  @ApiErrors(400)
  create(@CurrentPrincipal() p: Principal, @Body() body: TemplateDto): Promise<TemplateView> {
    return this.templates.create(p.userId, body);
  }

  @Put(':id')
  @Authenticated({ scope: 'templates:write' })
  @ApiOkResponse({ type: TemplateView, description: 'A new immutable version (version + 1); old versions stay readable' })
  @ApiErrors(400, NOT_FOUND)
  update(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: TemplateDto): Promise<TemplateView> {
    return this.templates.update(p.userId, id, body);
  }

  @Put(':id/split')
  @Authenticated({ scope: 'templates:write' })
  @ApiOkResponse({ type: TemplateView, description: 'The latest version, with the split' })
  @ApiErrors(400, NOT_FOUND, [422, 'INVALID_SPLIT: a version the template lacks, or a weight that is not a positive integer'])
  setSplit(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: TemplateSplitDto): Promise<TemplateView> {
    return this.templates.setSplit(p.userId, id, body.split);
  }

  @Get()
  @Authenticated({ scope: 'templates:read' })
  @ApiOkResponse({ type: TemplatePage, description: 'Own and public templates' })
  @ApiErrors(400)
  search(@CurrentPrincipal() p: Principal, @Query() query: TemplateSearchQuery): Promise<TemplatePage> {
    return this.templates.search(p.userId, query.q, query.tag, query.cursor);
  }

  @Get(':id')
  @Authenticated({ scope: 'templates:read' })
  @ApiOkResponse({ type: TemplateView, description: 'The latest version' })
  @ApiErrors(NOT_FOUND)
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<TemplateView> {
    return this.templates.get(p.userId, id);
  }

  @Get(':id/versions')
  @Authenticated({ scope: 'templates:read' })
  @ApiOkResponse({ type: [TemplateView] })
  @ApiErrors(NOT_FOUND)
  versions(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<TemplateView[]> {
    return this.templates.versions(p.userId, id);
  }

  @Get(':id/versions/:version')
  @Authenticated({ scope: 'templates:read' })
  @ApiOkResponse({ type: TemplateView })
  @ApiErrors(NOT_FOUND)
  version(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Param('version', positive) version: number): Promise<TemplateView> {
    return this.templates.get(p.userId, id, version);
  }

  @Get(':id/stats')
  @Authenticated({ scope: 'templates:read' })
  @ApiOkResponse({ type: TemplateStatsView, description: 'Per version: jobs, ratings, average score (A/B comparison)' })
  @ApiErrors(NOT_FOUND)
  statsOf(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<TemplateStatsView> {
    return this.stats.forTemplate(p.userId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scope: 'templates:write' })
  @ApiNoContentResponse()
  @ApiErrors(NOT_FOUND)
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.templates.remove(p.userId, id);
  }
}
