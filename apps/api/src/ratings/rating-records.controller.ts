import { Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { PageQueryDto } from '../http/page.query';
import { ApiErrors } from '../openapi/api-errors';
import { templateErrors } from '../templates/template-errors';
import { type RatingRecord, RatingsService } from './ratings.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => templateErrors('TEMPLATE_NOT_FOUND', 'Template not found') });
const positive = new ParseIntPipe({ exceptionFactory: () => templateErrors('TEMPLATE_NOT_FOUND', 'Template version not found') });

export class RatingRecordView implements RatingRecord {
  @ApiProperty({ format: 'uuid' }) imageId!: string;
  @ApiProperty({ format: 'uuid', description: 'Who rated' }) userId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) score!: number;
  @ApiProperty({ type: String, nullable: true }) feedback!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The template the image was made with, if any' }) templateId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) templateVersion!: number | null;
  @ApiProperty({ format: 'date-time', description: 'When given (or last replaced)' }) createdAt!: string;
}

export class RatingPage {
  @ApiProperty({ type: [RatingRecordView] }) items!: RatingRecordView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as ?cursor= for the next page' }) nextCursor!: string | null;
}

/** Reading ratings back: the author their own, with feedback; admins the feedback on one template version. */
@Controller('v1')
@ApiErrors(400, 503)
export class RatingRecordsController {
  constructor(private readonly ratings: RatingsService) {}

  @Get('ratings')
  @Authenticated({ scope: 'images:read' })
  @ApiOkResponse({ type: RatingPage, description: "The caller's ratings with their feedback, newest first" })
  mine(@CurrentPrincipal() p: Principal, @Query() query: PageQueryDto): Promise<RatingPage> {
    return this.ratings.mine(p.userId, query.cursor, query.limit);
  }

  @Get('admin/templates/:id/versions/:version/feedback')
  @Authenticated({ admin: true })
  @ApiOkResponse({ type: RatingPage, description: 'Every rating of images made with this template version, newest first' })
  ofTemplateVersion(@Param('id', uuid) id: string, @Param('version', positive) version: number, @Query() query: PageQueryDto): Promise<RatingPage> {
    return this.ratings.ofTemplateVersion(id, version, query.cursor, query.limit);
  }
}
