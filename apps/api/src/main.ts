import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppConfig, installProcessGuards, RedisConnections } from '@atelier/platform';
import { AppModule } from './app.module';
import { comfyJsonBodies } from './comfyui/comfy-json-bodies';
import { RedisIoAdapter } from './events/redis-io.adapter';
import { applySecurityHeaders } from './http/security-headers';
import { serveOpenApi } from './openapi/openapi';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { answerOpenAiBodyErrors } from './openai/openai-exception.filter';

installProcessGuards('api');

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  applySecurityHeaders(app, config.corsOrigins);
  // Before the JSON parser: ComfyUI clients send JSON as text/plain or without a type.
  app.use(comfyJsonBodies('1mb'));
  app.useBodyParser('json', { limit: '1mb' });
  answerOpenAiBodyErrors(app);
  app.useWebSocketAdapter(new RedisIoAdapter(app, app.get(RedisConnections), config));
  app.enableShutdownHooks();
  serveOpenApi(app);
  mountQueueDashboard(app);
  // The web playground (`npm run build:web` → dist/web) at `/`; unknown paths fall through to the routes.
  const webDir = join(__dirname, '../../../web');
  if (existsSync(join(webDir, 'index.html'))) app.useStaticAssets(webDir, { index: 'index.html' });
  else app.get(Logger).warn(`No web playground at ${webDir}: run \`npm run build:web\` to serve it at /`);
  await app.listen(config.port);
  app.get(Logger).log(`Atelier API listening on http://127.0.0.1:${config.port}`);
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the setting; print them plainly, without a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
