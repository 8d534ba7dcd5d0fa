import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@atelier/auth';
import { jobTypesOf, ModelCatalog } from '@atelier/models';
import { OpenAiExceptionFilter } from './openai-exception.filter';
import { ApiOpenAiErrors, OpenAiModelList, type OpenAiModelView } from './openai.views';

const IMAGE_JOB_TYPES = ['txt2img', 'img2img'];

/** OpenAI's model list: the catalog's models that make images (txt2img, img2img). */
@ApiTags('OpenAI-compatible')
@Controller('openai/v1/models')
@UseFilters(OpenAiExceptionFilter)
export class OpenAiModelsController {
  /** Manifests are read once, at start-up: that is when this server's models were "created". */
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly catalog: ModelCatalog) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: OpenAiModelList })
  @ApiOpenAiErrors([401, 'UNAUTHENTICATED: no or bad API key (type authentication_error)'], [429, 'RATE_LIMITED; retry after Retry-After seconds'], [503, 'A dependency is down'])
  list(): OpenAiModelList {
    const models = this.catalog.list().filter((model) => jobTypesOf(model).some((type) => IMAGE_JOB_TYPES.includes(type)));
    return {
      object: 'list',
      data: models.map((model): OpenAiModelView => ({ id: model.id, object: 'model', created: this.created, owned_by: 'atelier' })).sort((a, b) => a.id.localeCompare(b.id)),
    };
  }
}
