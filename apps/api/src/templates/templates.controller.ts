import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { DomainError } from '@atelier/platform';
import { TemplateStats } from './template-stats';
import { TemplateDto, TemplateSearchQuery } from './template.dto';
import { TemplatesService } from './templates.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'TEMPLATE_NOT_FOUND', 'Template not found') });
const positive = new ParseIntPipe({ exceptionFactory: () => new DomainError('not_found', 'TEMPLATE_NOT_FOUND', 'Template version not found') });

@Controller('v1/templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly stats: TemplateStats,
  ) {}

  @Post()
  @Authenticated({ scope: 'templates:write' })
  create(@CurrentPrincipal() p: Principal, @Body() body: TemplateDto) {
    return this.templates.create(p.userId, body);
  }

  @Put(':id')
  @Authenticated({ scope: 'templates:write' })
  update(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Body() body: TemplateDto) {
    return this.templates.update(p.userId, id, body);
  }

  @Get()
  @Authenticated({ scope: 'templates:read' })
  search(@CurrentPrincipal() p: Principal, @Query() query: TemplateSearchQuery) {
    return this.templates.search(p.userId, query.q, query.tag, query.cursor);
  }

  @Get(':id')
  @Authenticated({ scope: 'templates:read' })
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string) {
    return this.templates.get(p.userId, id);
  }

  @Get(':id/versions')
  @Authenticated({ scope: 'templates:read' })
  versions(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string) {
    return this.templates.versions(p.userId, id);
  }

  @Get(':id/versions/:version')
  @Authenticated({ scope: 'templates:read' })
  version(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string, @Param('version', positive) version: number) {
    return this.templates.get(p.userId, id, version);
  }

  @Get(':id/stats')
  @Authenticated({ scope: 'templates:read' })
  statsOf(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string) {
    return this.stats.forTemplate(p.userId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scope: 'templates:write' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.templates.remove(p.userId, id);
  }
}
