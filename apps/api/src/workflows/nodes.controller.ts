import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { nodeChoices } from '@atelier/jobs';
import { ModelCatalog } from '@atelier/models';
import { ImagesService } from '@atelier/storage';
import { imageName, objectInfo } from '@atelier/workflows';
import { ApiErrors } from '../openapi/api-errors';

/** How many of the caller's images LoadImage lists as choices (any of their images is accepted). */
const LISTED_IMAGES = 200;

/** The node catalog for this caller, in ComfyUI's object_info shape (the ComfyUI surface serves the same). */
@Controller('v1/nodes')
export class NodesController {
  constructor(
    private readonly models: ModelCatalog,
    private readonly images: ImagesService,
  ) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({
    description: "Every workflow node: inputs with types, defaults, bounds and combos, outputs, category, output_node (ComfyUI's object_info)",
    schema: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } },
  })
  @ApiErrors(503)
  async list(@CurrentPrincipal() principal: Principal): Promise<Record<string, Record<string, unknown>>> {
    const images = (await this.images.recentIds(principal.userId, LISTED_IMAGES)).map(imageName);
    return objectInfo(nodeChoices({ models: this.models }, images));
  }
}
