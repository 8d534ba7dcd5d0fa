import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule } from '@nestjs/swagger';
import { JOB_REQUEST_SCHEMAS } from '../jobs/job-request.schema';
import { ERROR_DESCRIPTIONS, ErrorResponseDto } from './api-errors';
import { routeAccess, type RouteAccess } from './route-access';

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });
const RATE_LIMITED = 'RATE_LIMITED: over the per-user request limit (the plan requestsPerMinute, else API_REQUESTS_PER_MINUTE; all routes together) or a limit of its own; retry after Retry-After seconds';
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };

/** The OpenAPI document generated from the controllers, served at /docs (UI) and /docs-json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Atelier API')
    .setDescription('Image generation, analysis and image operations as asynchronous jobs. The full contract, with the error codes and the Socket.IO events: docs/API.md.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (JWT) or an API key (atl_…)' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto],
    // Spelled out because routeAccess() keys handlers the same way.
    operationIdFactory: (controller, method) => `${controller}_${method}`,
  });
  Object.assign(document.components!.schemas!, JOB_REQUEST_SCHEMAS);
  const access = routeAccess(app);
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as OperationObject[]) {
      const route = access.get(operation.operationId ?? '');
      if (route) applyAccess(operation, route);
      if (route?.throttled) operation.responses[429] ??= { ...errorResponse(RATE_LIMITED), headers: RETRY_AFTER };
    }
  }
  addDocsRoutes(document);
  return document;
}

/**
 * Security and the auth errors follow what AuthGuard enforces (@Public, @Authenticated), so
 * controllers do not state them twice. A public route that also takes a bearer (signed image
 * content) declares its own security, which is kept.
 */
function applyAccess(operation: OperationObject, { isPublic, needs }: RouteAccess): void {
  if (isPublic) {
    operation.security ??= [];
    return;
  }
  operation.responses[401] ??= errorResponse(ERROR_DESCRIPTIONS[401]);
  const forbidden = [
    needs.scope && `MISSING_SCOPE: an API key needs ${needs.scope}`,
    needs.admin && 'ADMIN_ONLY: administrators only',
    needs.session && 'SESSION_REQUIRED: a signed-in session, not an API key',
  ].filter(Boolean);
  if (forbidden.length) operation.responses[403] ??= errorResponse(forbidden.join('; '));
}

/** Swagger UI and this document are served by SwaggerModule, outside the controllers. */
function addDocsRoutes(document: OpenAPIObject): void {
  const page = (summary: string, type: string, schema: object): OperationObject => ({
    operationId: `docs_${type.split('/')[1]}`,
    summary,
    tags: ['Docs'],
    security: [],
    responses: { 200: { description: summary, content: { [type]: { schema } } } },
  });
  document.paths['/docs'] = { get: page('Swagger UI', 'text/html', { type: 'string' }) };
  document.paths['/docs-json'] = { get: page('This OpenAPI document', 'application/json', { type: 'object' }) };
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
