import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ALL_MIGRATIONS } from '@atelier/migrations';
import { JobSubmissionModule, JobsModule, type TemplatePrompt, type TemplatePromptRequest, type TemplatePrompts } from '@atelier/jobs';
import { DatabaseModule, DomainError, PlatformConfigModule, RedisModule } from '@atelier/platform';
import { TestEnvironment } from './test-environment';

/** Templates kept in memory for tests of job submission: the API's template module is not part of the jobs lib. */
@Injectable()
export class InMemoryTemplates implements TemplatePrompts {
  private readonly bodies = new Map<string, string[]>();

  /** Adds a version (the first makes the template); returns the version number. */
  publish(id: string, body: string): number {
    const versions = this.bodies.get(id) ?? [];
    versions.push(body);
    this.bodies.set(id, versions);
    return versions.length;
  }

  delete(id: string): void {
    this.bodies.delete(id);
  }

  async render(_userId: string, request: TemplatePromptRequest): Promise<TemplatePrompt> {
    const versions = this.bodies.get(request.templateId);
    const version = request.version ?? versions?.length ?? 0;
    const body = versions?.[version - 1];
    if (body === undefined) throw new DomainError('not_found', 'TEMPLATE_NOT_FOUND', 'Template not found');
    return { prompt: body.replace('{subject}', request.subject), negativePrompt: '', templateId: request.templateId, version };
  }
}

@Module({ providers: [InMemoryTemplates], exports: [InMemoryTemplates] })
class InMemoryTemplatesModule {}

/**
 * The jobs lib's submission side as the API wires it, against a fresh database and Redis prefix:
 * real Postgres, Redis, Bull, billing and auth; only the template store is the in-memory one above.
 */
export async function startSubmissionContext(): Promise<{ app: INestApplicationContext; environment: TestEnvironment; close(): Promise<void> }> {
  const environment = new TestEnvironment();
  await environment.create();
  Object.assign(process.env, environment.env({ LOG_LEVEL: 'silent' }));
  @Module({
    imports: [
      PlatformConfigModule.forRoot(),
      RedisModule,
      DatabaseModule.forRoot({ migrations: ALL_MIGRATIONS }),
      JobsModule,
      JobSubmissionModule.register({ imports: [InMemoryTemplatesModule], templatePrompts: InMemoryTemplates }),
    ],
  })
  class SubmissionTestModule {}
  const app = await NestFactory.createApplicationContext(SubmissionTestModule, { logger: false, abortOnError: false });
  await app.init();
  return {
    app,
    environment,
    async close() {
      await app.close();
      await environment.destroy();
    },
  };
}
