import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { AuthModule } from '@atelier/auth';
import { BillingModule } from '@atelier/billing';
import { ModelsModule } from '@atelier/models';
import { StorageModule } from '@atelier/storage';
import { JobsModule } from '../jobs.module';
import { PromptPolicy } from './prompt-policy';
import { ResultCache } from './result-cache';
import { SubmitJob } from './submit-job';
import { TEMPLATE_PROMPTS, type TemplatePrompts } from './template-prompts';

export interface JobSubmissionModuleOptions {
  /** Modules that export `templatePrompts`. */
  imports: ModuleMetadata['imports'];
  /** The class that renders templates for templated jobs (the API's PromptRenderer). */
  templatePrompts: Type<TemplatePrompts>;
}

/** Job submission, for the API only: the worker never accepts jobs, so it never loads auth or templates. */
@Module({})
export class JobSubmissionModule {
  static register(options: JobSubmissionModuleOptions): DynamicModule {
    return {
      module: JobSubmissionModule,
      imports: [JobsModule, AuthModule, BillingModule, StorageModule, ModelsModule, ...(options.imports ?? [])],
      providers: [SubmitJob, PromptPolicy, ResultCache, { provide: TEMPLATE_PROMPTS, useExisting: options.templatePrompts }],
      exports: [SubmitJob, PromptPolicy],
    };
  }
}
