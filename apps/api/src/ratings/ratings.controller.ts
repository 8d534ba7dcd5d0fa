import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { DomainError } from '@atelier/platform';
import { RatingDto } from '../templates/template.dto';
import { RatingsService } from './ratings.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'IMAGE_NOT_FOUND', 'Image not found') });

@Controller('v1/images')
export class RatingsController {
  constructor(private readonly ratings: RatingsService) {}

  /** 201 whether new or replacing the caller's earlier rating of this image. */
  @Post(':id/ratings')
  @Authenticated({ scope: 'images:write' })
  rate(@CurrentPrincipal() p: Principal, @Param('id', uuid) imageId: string, @Body() body: RatingDto) {
    return this.ratings.rate(p.userId, imageId, body.score, body.feedback);
  }
}
