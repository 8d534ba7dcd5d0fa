import { Module } from '@nestjs/common';
import { PromptPolicy } from '@atelier/jobs';
import { StorageModule } from '@atelier/storage';
import { PromptRenderer } from '../prompts/prompt-renderer';
import { PromptsController } from '../prompts/prompts.controller';
import { RatingRecordsController } from '../ratings/rating-records.controller';
import { RatingsController } from '../ratings/ratings.controller';
import { RatingsService } from '../ratings/ratings.service';
import { TemplateCache } from './template-cache';
import { TemplateStats } from './template-stats';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** Templates, prompt rendering and ratings: modules of the API (they own templates, template_versions, ratings). */
@Module({
  imports: [StorageModule],
  controllers: [TemplatesController, PromptsController, RatingsController, RatingRecordsController],
  providers: [TemplatesRepository, TemplateCache, TemplatesService, TemplateStats, PromptRenderer, PromptPolicy, RatingsService],
  exports: [PromptRenderer, RatingsService],
})
export class TemplatesModule {}
