import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { installProcessGuards } from '@atelier/platform';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

installProcessGuards('worker');

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Printed whatever LOG_LEVEL is: the launcher and the tests wait for this line.
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg: 'Atelier worker ready' })}\n`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
