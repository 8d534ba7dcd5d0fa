import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { storageErrors } from '@atelier/storage';
import { RatingView } from '../images/image.views';
import { ApiErrors } from '../openapi/api-errors';
import { RatingDto } from '../templates/template.dto';
import { RatingsService } from './ratings.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => storageErrors('IMAGE_NOT_FOUND', 'Image not found') });

@Controller('v1/images')
export class RatingsController {
  constructor(private readonly ratings: RatingsService) {}

  /** 201 whether new or replacing the caller's earlier rating of this image. */
  @Post(':id/ratings')
  @Authenticated({ scope: 'images:write' })
  @ApiCreatedResponse({ type: RatingView, description: "Stored; replaces the caller's earlier rating of the image" })
  @ApiErrors(400, [404, 'IMAGE_NOT_FOUND (or not yours)'], 503)
  rate(@CurrentPrincipal() p: Principal, @Param('id', uuid) imageId: string, @Body() body: RatingDto): Promise<RatingView> {
    return this.ratings.rate(p.userId, imageId, body.score, body.feedback);
  }
}
